from django import forms
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.textforms import StoredTextMixin
from campaigndesk.units.models import Unit

from .models import Scope
from .tokens import MAX_DAYS


class TokenForm(StoredTextMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100,
                           help_text=_("用途或调用方，如“呼和浩特市统计系统”"))
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.active().order_by("report_path"), required=False,
        empty_label=_("（全区：读取全区数据，权限同创建人）"),
        help_text=_("单位令牌的权限与该单位填报员相同：本单位及下属单位"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       initial=[Scope.READ])
    days = forms.IntegerField(label=_("有效期（天）"), min_value=1, max_value=MAX_DAYS,
                              initial=90)
