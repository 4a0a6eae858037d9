from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    name = "campaigndesk.cascade"
    verbose_name = _("盟市内部报送")
