"""Point 5: optional TOTP for region accounts, compulsory when OTP_REQUIRED_FOR_REGION."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, username):
    client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})


def enrol(client, user) -> TOTPDevice:
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    text = page.content.decode()
    assert "otpauth://totp/" in text and page.context["secret"] in text
    response = client.post(reverse("otp_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrolled_account_must_give_a_code_at_every_log_in(demo, personas, client):
    log_in(client, "reviewer")
    device = enrol(client, personas["reviewer"])
    assert AuditEntry.objects.filter(action="security.otp_enrol").exists()
    client.logout()
    log_in(client, "reviewer")
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")
    client.post(reverse("otp_verify"), {"token": "000000" if code_for(device) != "000000"
                                        else "111111"})
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert client.get("/campaigns/").status_code == 200


def test_required_by_setting_for_region_accounts_only(demo, personas, client, settings):
    settings.OTP_REQUIRED_FOR_REGION = True
    settings.DEMO_MODE = False  # demo accounts are exempt in demo mode
    client.force_login(personas["region_admin"])
    assert client.get("/campaigns/")["Location"] == reverse("otp_setup")
    client.force_login(personas["reporter"])
    assert client.get("/units/150100/").status_code == 200


def test_optional_when_the_setting_is_off(demo, personas, client):
    client.force_login(personas["region_admin"])
    assert client.get("/campaigns/").status_code == 200
