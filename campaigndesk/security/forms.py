from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .lockout import active_lock, locked_message


class LoginForm(AuthenticationForm):
    """Says so when the user name is locked, instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            lock = active_lock(self.cleaned_data.get("username") or "")
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
