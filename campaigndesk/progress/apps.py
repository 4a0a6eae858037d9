from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "campaigndesk.progress"
    verbose_name = _("工作进展")

    def ready(self):
        from campaigndesk.units.signals import subtree_moved

        from . import totals

        def carry_totals(sender, unit_id: int, old_path: str, new_path: str, **kwargs) -> None:
            totals.move_subtree(unit_id, old_path, new_path)

        subtree_moved.connect(carry_totals, dispatch_uid="progress.totals.move_subtree")
