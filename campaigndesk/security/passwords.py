"""Password rules (等保 2.0 身份鉴别): complexity, not the user name, expiry, first change."""

from datetime import timedelta

from django.conf import settings
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
