"""The optional TOTP second factor (django-otp) for the region's accounts.

Anyone but a unit reporter may enrol; OTP_REQUIRED_FOR_REGION=1 makes it compulsory for
them. Once an account has a confirmed device, every log-in asks for a code.
"""

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.units.models import Role

from . import passwords

DEVICE_NAME = "动态验证码（手机验证器）"


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
    if user_has_device(user, confirmed=True):
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
