from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "campaigndesk.progress"
    verbose_name = _("工作进展")
