from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "campaigndesk.progress"
    verbose_name = _("工作进展")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action

        from .exports import run_consolidated_job

        # Issue 17: the consolidated workbook (500,000 rows) is always made in the background.
        register(Kind("progress.consolidated", "工作进展汇总表（Excel）", Action.VIEW_OVERVIEW,
                      run_consolidated_job,
                      back=lambda job: reverse("campaign_progress", args=[job.campaign_id])))
