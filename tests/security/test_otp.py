"""Point 5: optional TOTP for region accounts, compulsory when OTP_REQUIRED_FOR_REGION."""

import re

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
    assert '<svg' in text.split('id="otp-qr"')[1].split("</div>")[0]  # the QR code
    response = client.post(reverse("otp_setup"), {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("otp_recovery")
    device.refresh_from_db()
    assert device.confirmed
    return device


def recovery_codes(client) -> list[str]:
    """The codes on the page right after enrolment (or after asking for new ones)."""
    html = client.get(reverse("otp_recovery")).content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)


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
    unthrottle(personas["reviewer"])
    device.refresh_from_db()
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
    assert client.get(f"/campaigns/{demo.pk}/units/150100/").status_code == 200


def test_optional_when_the_setting_is_off(demo, personas, client):
    client.force_login(personas["region_admin"])
    assert client.get("/campaigns/").status_code == 200


def unthrottle(user):
    # django-otp refuses any code for 2^(n-1) seconds after the n-th wrong one; a person
    # typing again takes that long, a test does not. A wrong code counts against the
    # authenticator and the recovery codes alike.
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (StaticDevice, TOTPDevice):
        model.objects.filter(user=user).update(throttling_failure_count=0,
                                               throttling_failure_timestamp=None)


def _fresh_log_in(client, username):
    client.logout()
    log_in(client, username)
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")


def test_recovery_codes_shown_once_each_usable_once(demo, personas, client):
    log_in(client, "reviewer")
    enrol(client, personas["reviewer"])
    codes = recovery_codes(client)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert recovery_codes(client) == []  # shown once, when made
    _fresh_log_in(client, "reviewer")
    response = client.post(reverse("otp_verify"), {"token": codes[0].upper()}, follow=True)
    assert "已用恢复码登录，还剩 7 个" in response.content.decode()
    assert client.get("/campaigns/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.otp_recovery").count() == 1
    _fresh_log_in(client, "reviewer")
    client.post(reverse("otp_verify"), {"token": codes[0]})  # used: refused
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")
    unthrottle(personas["reviewer"])
    client.post(reverse("otp_verify"), {"token": codes[1]})
    assert client.get("/campaigns/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(demo, personas, client):
    log_in(client, "reviewer")
    enrol(client, personas["reviewer"])
    old = recovery_codes(client)
    client.post(reverse("otp_recovery"))
    new = recovery_codes(client)
    assert len(new) == 8 and not set(new) & set(old)
    _fresh_log_in(client, "reviewer")
    client.post(reverse("otp_verify"), {"token": old[0]})
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")
    unthrottle(personas["reviewer"])
    client.post(reverse("otp_verify"), {"token": new[0]})
    assert client.get("/campaigns/").status_code == 200


def test_lost_phone_reset_by_an_administrator(demo, personas, client, settings):
    log_in(client, "reviewer")
    enrol(client, personas["reviewer"])
    client.logout()
    # An ordinary account's second factor is reset by the system administrator; the security
    # administrator resets only the privileged accounts' (三权分立, issue 12 point 7).
    admin = personas["region_admin"]
    client.force_login(admin)
    locks = client.get(reverse("security_locks")).content.decode()
    assert "reviewer" in locks.split('id="second-factor"')[1]
    reset = reverse("otp_reset", kwargs={"pk": personas["reviewer"].pk})
    assert client.post(reset)["Location"] == reverse("security_locks")
    assert not TOTPDevice.objects.filter(user=personas["reviewer"]).exists()
    entry = AuditEntry.objects.get(action="security.otp_reset")
    assert entry.actor == admin and entry.object_id == str(personas["reviewer"].pk)
    client.logout()
    # The reviewer logs in without a code, and enrols again where the policy requires it.
    settings.OTP_REQUIRED_FOR_REGION = True
    settings.DEMO_MODE = False
    log_in(client, "reviewer")
    assert client.get("/campaigns/")["Location"] == reverse("otp_setup")
