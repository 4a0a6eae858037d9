from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.addresses import client_address
from campaigndesk.core.textforms import StoredTextMixin

from .lockout import active_lock, attack_message, locked_message, refused_everywhere_but_known


class LoginForm(AuthenticationForm):
    """Says so when the user name is locked, instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username") or ""
            if username and self.request is not None and refused_everywhere_but_known(
                    username, client_address(self.request)):
                raise ValidationError(attack_message(), code="locked") from None
            lock = active_lock(username)
            if lock is not None:
                raise ValidationError(locked_message(lock), code="locked") from None
            raise


class TokenForm(forms.Form):
    # 6 digits from the authenticator, or an 8-character recovery code.
    token = forms.CharField(label=_("动态验证码"), max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric"}))


class EnrolForm(TokenForm):
    """The new authenticator's code; when replacing one, also a code of the existing second
    factor (authenticator or recovery code)."""

    current = forms.CharField(label=_("原动态验证码或恢复码"), max_length=8, min_length=6,
                              required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))
    field_order = ["current", "token"]

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["current"].required = True
            self.fields["token"].label = _("新手机上的动态验证码")
        else:
            del self.fields["current"]


class GrantRoleForm(StoredTextMixin, forms.Form):
    """The security administrator gives an existing account a privileged role."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("系统管理员先在“账号管理”中建好账号（可选“无角色”）"))
    role = forms.ChoiceField(label=_("授予角色"), choices=[])

    def __init__(self, *args, **kwargs):
        from campaigndesk.units.models import Role
        from campaigndesk.units.permissions import PRIVILEGED_ROLES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices
                                       if value in PRIVILEGED_ROLES]

    def clean_username(self):
        from django.utils.translation import gettext

        from campaigndesk.units.models import User

        name = self.cleaned_data["username"].strip()
        account = User.objects.filter(username__iexact=name).first()
        if account is None:
            raise ValidationError(gettext("没有用户名为 %(name)s 的账号") % {"name": name})
        return account
