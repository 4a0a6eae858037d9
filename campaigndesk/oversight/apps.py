from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "campaigndesk.oversight"
    verbose_name = _("督导汇总")

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from . import summaries
        from .models import FinalSummaryVersion

        return [(f"活动总结 {version.relative_path}", summaries.file_path(version))
                for version in FinalSummaryVersion.objects.exclude(file_key="").iterator()]
