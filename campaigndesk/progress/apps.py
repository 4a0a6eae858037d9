from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "campaigndesk.progress"
    verbose_name = _("工作进展")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action
        from campaigndesk.units.signals import subtree_moved

        from . import totals
        from .exports import run_consolidated_job

        def carry_totals(sender, unit_id: int, old_path: str, new_path: str, **kwargs) -> None:
            totals.move_subtree(unit_id, old_path, new_path)

        subtree_moved.connect(carry_totals, dispatch_uid="progress.totals.move_subtree")
        # Issue 17: the consolidated workbook (500,000 rows) is always made in the background.
        register(Kind("progress.consolidated", "工作进展汇总表（Excel）", Action.VIEW_OVERVIEW,
                      run_consolidated_job,
                      back=lambda job: reverse("campaign_progress", args=[job.campaign_id])))
