from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "campaigndesk.security"
    verbose_name = _("安全管理")

    def ready(self):
        from . import checks, signals  # noqa: F401  (deploy checks; counting failed log-ins)
