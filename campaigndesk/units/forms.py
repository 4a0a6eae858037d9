from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.concurrency import VersionField
from campaigndesk.core.textforms import StoredTextMixin

from .models import Level, Role, Unit, User
from .permissions import PRIVILEGED_ROLES

SHORT_NAME_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ",", " ": ","})


def split_short_names(text: str) -> list[str]:
    return [part for part in text.translate(SHORT_NAME_SEPARATORS).split(",") if part]


class UnitForm(StoredTextMixin, forms.Form):
    code = forms.CharField(label=_("代码"), max_length=20)
    name = forms.CharField(label=_("名称"), max_length=100)
    short_names = forms.CharField(label=_("简称"), required=False,
                                  help_text=_("多个简称用顿号或逗号分开，如：土左旗、土默特左旗"))
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    geo_parent = forms.ModelChoiceField(label=_("所在地区"), queryset=Unit.objects.none(),
                                        required=False)
    reports_to = forms.ModelChoiceField(label=_("报送上级"), queryset=Unit.objects.none(),
                                        required=False,
                                        help_text=_("满洲里市、二连浩特市等直报单位选择自治区"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.exclude(level=Level.GRASSROOTS).order_by("report_path", "code")
        self.fields["geo_parent"].queryset = parents
        self.fields["reports_to"].queryset = parents

    def clean_short_names(self) -> list[str]:
        return split_short_names(self.cleaned_data["short_names"])

    @staticmethod
    def initial_for(unit: Unit) -> dict:
        return {
            "code": unit.code,
            "name": unit.name,
            "short_names": "、".join(unit.short_names),
            "level": unit.level,
            "geo_parent": unit.geo_parent_id,
            "reports_to": unit.reports_to_id,
            "is_active": unit.is_active,
            "version": unit.version,
        }


# The system administrator's choice of roles: the auditor and security administrator roles
# are given by the security administrator (security.privileged_views), to an account made
# here without a role.
ORDINARY_ROLES = [("", _("无角色（待安全管理员授权）"))] + [
    (value, label) for value, label in Role.choices if value not in PRIVILEGED_ROLES]


class AccountForm(StoredTextMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=ORDINARY_ROLES, required=False,
                             help_text=_("审计员、安全管理员由安全管理员在“特权账号”中授予"))
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("单位填报员、盟市审核员必选；其他角色留空"))
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("report_path", "code")
        if not settings.MINISTRY_MODE:
            # 民政部工作人员 only where the installation runs at the ministry.
            self.fields["role"].choices = [choice for choice in ORDINARY_ROLES
                                           if choice[0] != Role.MINISTRY]

    def clean(self):
        data = super().clean()
        bound = {Role.REPORTER, Role.BUREAU_REVIEWER}
        if data.get("role") in bound and not data.get("unit"):
            # Named by the role chosen: "单位填报员必须指定所属单位".
            self.add_error("unit", gettext("%(role)s必须指定所属单位") % {
                "role": Role(data["role"]).label})
        if data.get("role") and data.get("role") not in bound and data.get("unit"):
            self.add_error("unit", gettext("只有单位填报员和盟市审核员绑定单位，请留空"))
        return data


class AccountCreateForm(AccountForm):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("填报员建议使用单位代码，如 150100"))
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    field_order = ["username", "full_name", "role", "unit", "phone", "email",
                   "password1", "password2"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(gettext("该用户名已被使用"))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("两次输入的密码不一致"))
        elif data.get("password1"):
            try:
                validate_password(data["password1"], User(username=data.get("username", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AccountEditForm(AccountForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)
    version = VersionField()
