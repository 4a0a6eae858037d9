from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "campaigndesk.intake"
    verbose_name = _("邮件报送")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action

        from . import fetch_job

        # Issue 17: reading the mailbox is a background job, on a button and on a schedule.
        register(Kind(fetch_job.KIND, "收取报送邮箱的新邮件", Action.SORT_MAIL,
                      fetch_job.run_fetch_job, back=lambda job: reverse("intake_inbox"),
                      every=fetch_job.every))

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from . import storage
        from .models import MailAttachment

        return [(f"邮件附件 {a.filename}", storage.path_of(a.key))
                for a in MailAttachment.objects.exclude(key="").only("key", "filename")
                .iterator()]
