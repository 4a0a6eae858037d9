from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "campaigndesk.intake"
    verbose_name = _("邮件报送")

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from . import storage
        from .models import MailAttachment

        return [(f"邮件附件 {a.filename}", storage.path_of(a.key))
                for a in MailAttachment.objects.exclude(key="").only("key", "filename")
                .iterator()]
