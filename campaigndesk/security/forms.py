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
