from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "campaigndesk.security"
    verbose_name = _("安全管理")

    def ready(self):
        # checks: deploy checks; signals counts failed log-ins and locks accounts; idle notes
        # the log-in time.
        from . import checks, idle, signals  # noqa: F401
