from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigndesk.campaigns"
    verbose_name = _("宣传活动")
