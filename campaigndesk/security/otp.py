"""The optional TOTP second factor (django-otp) for the region's accounts.

Anyone but a unit reporter may enrol; OTP_REQUIRED_FOR_REGION=1 makes it compulsory for
them. Once an account has a confirmed device, every log-in asks for a code.

A phone gets lost, on deadline day too: enrolling also gives 8 single-use recovery codes
(django-otp's static tokens), and the security administrator can reset an account's second
factor so that its owner enrols again. Until the code is given after the password, the
session reaches only the verify page and log-out (security.middleware.AccessGateMiddleware).
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.services import record
from campaigndesk.units.models import Role

from . import passwords

DEVICE_NAME = "动态验证码（手机验证器）"
RECOVERY_NAME = "恢复码"
RECOVERY_COUNT = 8


def may_enrol(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role not in ("", Role.REPORTER))


def required(user) -> bool:
    return (settings.OTP_REQUIRED_FOR_REGION and may_enrol(user)
            and not passwords.is_exempt(user))


def needs_verification(request) -> str:
    """The URL name the user must visit first, or ''."""
    user = request.user
    if getattr(user, "is_verified", lambda: True)():
        return ""
    # Recovery codes exist only beside a confirmed authenticator (made at enrolment, removed
    # with it by reset), so this one table answers "has a second factor" on every request.
    if enrolled(user):
        return "otp_verify"
    if required(user):
        return "otp_setup"
    return ""


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a fresh secret each time none exists)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def otpauth_uri(device: TOTPDevice) -> str:
    # django-otp's config_url: otpauth://totp/<issuer>:<user>?secret=…&digits=6&period=30
    return device.config_url


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (paths only: no script, no text)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#000")


def _fresh_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Eight fresh single-use codes; any earlier ones stop working."""
    codes = _fresh_recovery_codes(user)
    record(user, "security.otp_recovery_codes", user, message="生成恢复码")
    return codes


class WrongCode(Exception):
    """A code given at enrolment was wrong; `field` is the form field it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def enrol(user, device: TOTPDevice, token: str, *, current: str = "") -> list[str]:
    """Confirm the pending authenticator with a code it shows; returns the recovery codes.

    Replacing a confirmed authenticator needs a code of the existing second factor (its
    authenticator or a recovery code): whoever holds only the password, or a session that
    never gave the code, cannot swap in a phone of their own. Without the old phone and
    codes, the security administrator resets the second factor first (`reset`).
    """
    replacing = enrolled(user)
    if replacing and match_token(user, (current or "").strip().lower()) is None:
        record(user, "auth.otp_failed", user, message="更换动态验证码时原验证码错误")
        raise WrongCode("current", _("原动态验证码或恢复码不正确"))
    if not device.verify_token((token or "").strip()):
        raise WrongCode("token", _("验证码不正确，请核对手机时间后重试"))
    return _confirm(user, device, replacing)


@transaction.atomic
def _confirm(user, device: TOTPDevice, replacing: bool) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
    codes = _fresh_recovery_codes(user)
    if replacing:
        record(user, "security.otp_replace", user, changes={"devices_removed": replaced},
               message="更换动态验证码（已核对原验证码），恢复码重新生成")
    else:
        record(user, "security.otp_enrol", user, message="启用动态验证码，生成恢复码")
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def reset(by, user, *, operator: str = "") -> None:
    """Remove the account's authenticator and recovery codes: it enrols again at its next
    log-in (compulsory for region accounts when the policy says so). The security
    administrator on the web, or the operator at the command line (`by` None, named by
    `operator`)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(by, "security.otp_reset", user, username=operator,
           message="重置动态验证码（手机丢失或更换）")
