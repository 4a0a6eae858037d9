from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "campaigndesk.audit"
    verbose_name = _("审计日志")

    def ready(self):
        from . import signals  # noqa: F401  (connects the log-in receivers)
