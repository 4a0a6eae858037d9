"""The optional TOTP second factor (django-otp) for the region's accounts.

Anyone but a unit reporter may enrol; OTP_REQUIRED_FOR_REGION=1 makes it compulsory for
them. Once an account has a confirmed device, every log-in asks for a code.

A phone gets lost, on deadline day too: enrolling also gives 8 single-use recovery codes
(django-otp's static tokens), and the security administrator can reset an account's second
factor so that its owner enrols again. Until the code is given after the password, the
session reaches only the verify page and log-out (security.middleware.AccessGateMiddleware).
"""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.services import record
from campaigndesk.units.models import Role
from campaigndesk.units.permissions import resets_credentials

from . import passwords

DEVICE_NAME = "动态验证码（手机验证器）"
RECOVERY_NAME = "恢复码"
RECOVERY_COUNT = 8


def may_enrol(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role not in ("", Role.REPORTER,
                                                                     Role.BUREAU_REVIEWER))


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
    if by is not None and not resets_credentials(by, user):
        raise PermissionDenied  # never one's own: see units.permissions.resets_credentials
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(by, "security.otp_reset", user, username=operator,
           message="重置动态验证码（手机丢失或更换）")


# django-otp doubles the wait after each wrong code without end: 20 wrong codes typed by
# whoever holds the password would shut the owner out for 12 days. The failure count is
# held where the wait is at most this long (the largest doubling step not above it).
MAX_WAIT_SECONDS = 15 * 60


def _devices(user) -> list:
    return [*TOTPDevice.objects.filter(user=user, confirmed=True),
            *StaticDevice.objects.filter(user=user, confirmed=True)]


def _wait_seconds(device, now) -> int:
    if not device.throttling_failure_count or device.throttling_failure_timestamp is None:
        return 0
    delay = min(device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1),
                MAX_WAIT_SECONDS)
    ready = device.throttling_failure_timestamp + timedelta(seconds=delay)
    return max(0, math.ceil((ready - now).total_seconds()))


def _cap(device) -> None:
    factor = device.get_throttle_factor() or 1
    most = max(1, int(math.log2(MAX_WAIT_SECONDS / factor)) + 1)
    if device.throttling_failure_count > most:
        device.throttling_failure_count = most
        device.save(update_fields=["throttling_failure_count"])


def wait_seconds(user) -> int:
    """How long before the next code is looked at (0: now). Every wrong code counts against
    each of the account's devices alike, so the longest wait is the one that holds."""
    now = timezone.now()
    return max((_wait_seconds(device, now) for device in _devices(user)), default=0)


class Throttled(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.message = _("动态验证码错误次数过多，请%(minutes)s分钟后再试") % {
            "minutes": max(1, math.ceil(seconds / 60))}


def verify(request, token: str):
    """Check the code given after the password: on success the session becomes the
    verified one under a new session key (the cookie that held only the password is worth
    nothing afterwards) and the device is returned; None for a wrong code. Raises
    Throttled, unchecked and audited, while the wait after wrong codes runs."""
    user = request.user
    waiting = wait_seconds(user)
    if waiting:
        record(user, "auth.otp_failed", user, changes={"wait_seconds": waiting},
               message=f"动态验证码错误次数过多，须等待 {math.ceil(waiting / 60)} 分钟")
        raise Throttled(waiting)
    device = match_token(user, (token or "").strip().lower())
    if device is None:
        for other in _devices(user):
            _cap(other)
        return None
    login_verified(request, device)
    return device


def login_verified(request, device) -> None:
    """Mark the session verified by `device`, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()
