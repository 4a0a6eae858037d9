"""Password rules (等保 2.0 身份鉴别): complexity, not the user name, not a common password
nor a lightly dressed one, none of the last passwords, expiry, first change."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class ComplexityValidator:
    """At least `min_length` characters with at least three of: upper case, lower case,
    digits, symbols. (Chinese characters count as symbols: they are neither letters with
    case nor digits, and they make a password harder to guess, not easier.)"""

    def __init__(self, min_length: int = 8, min_classes: int = 3) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if len(password) < self.min_length or used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码至少 %(length)s 位，并包含大写字母、小写字母、数字、符号中的至少"
                 " %(classes)s 种") % {"length": self.min_length, "classes": self.min_classes}


class NotUsernameValidator:
    """The password may not contain the user name (in any case), nor its reverse."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) < 3:
            return
        folded = password.lower()
        if username in folded or username[::-1] in folded:
            raise ValidationError(_("密码不能包含用户名"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名")


class CommonPasswordVariantValidator(CommonPasswordValidator):
    """Django's list of common passwords, also when up to `added` characters are put before
    or after one of at least `core` characters: "12345678Aa" is "12345678" with "Aa", and
    passes every rule of complexity. (Django's own check only lowercases.)"""

    def __init__(self, added: int = 3, core: int = 6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.added = added
        self.core = core

    def validate(self, password: str, user=None) -> None:
        folded = password.lower().strip()
        for front in range(self.added + 1):
            for back in range(self.added + 1 - front):
                core = folded[front:len(folded) - back]
                if (core == folded or len(core) >= self.core) and core in self.passwords:
                    raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _("密码过于常见（常用密码或在常用密码前后加几个字符），请换一个")

    def get_help_text(self) -> str:
        return _("不能是常用密码，也不能是常用密码前后加几个字符")


class PasswordHistoryValidator:
    """None of the account's last `keep` passwords (the one in use included). Django calls
    `password_changed` after every save of a new password, whoever set it."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from django.contrib.auth import get_user_model

        from .models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user_id=user.pk)
                      .values_list("password", flat=True)[:self.keep])
        # The password in use, in case it predates the history.
        current = get_user_model()._default_manager.filter(pk=user.pk).values_list(
            "password", flat=True).first()
        for encoded in dict.fromkeys([*hashes, current]):
            if encoded and check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        from .models import PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        old = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)
        PasswordHistory.objects.filter(pk__in=list(old[self.keep:])).delete()

    def get_help_text(self) -> str:
        return _("不能与最近 %(keep)s 次使用过的密码相同") % {"keep": self.keep}


def is_exempt(user) -> bool:
    """Demo accounts, in demo mode only: the demo must log straight in."""
    return bool(settings.DEMO_MODE and getattr(user, "password_policy_exempt", False))


def is_expired(user, now=None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or is_exempt(user) or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=days)


def change_reason(user) -> str:
    """Why this user must change the password now, or '' when they need not."""
    if is_exempt(user):
        return ""
    if user.must_change_password:
        return _("您的密码由管理员设置，首次登录请先修改密码")
    if is_expired(user):
        return _("您的密码已使用超过 %(days)s 天，请修改密码后继续") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS}
    return ""
