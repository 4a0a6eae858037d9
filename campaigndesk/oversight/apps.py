from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "campaigndesk.oversight"
    verbose_name = _("督导汇总")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action

        from . import summary_jobs

        # Issue 17: the summary draft and the summaries' .zip are made in the background.
        def back(job):
            return reverse("campaign_summaries", args=[job.campaign_id])

        register(Kind(summary_jobs.DRAFT, "活动总结草稿（Word）", Action.VIEW_OVERVIEW,
                      summary_jobs.run_draft_job, back=back))
        register(Kind(summary_jobs.ZIP, "全部单位活动总结（zip）", Action.VIEW_OVERVIEW,
                      summary_jobs.run_zip_job, back=back))

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from . import summaries
        from .models import FinalSummaryVersion

        return [(f"活动总结 {version.relative_path}", summaries.file_path(version))
                for version in FinalSummaryVersion.objects.exclude(file_key="").iterator()]
