"""Issue 12 point 1, second pass: the verified session gets a new key, and the wait after
wrong codes is shown, capped and audited (someone holding the password must not be able to
shut the owner out for days)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.models import AuditEntry
from campaigndesk.security import otp

from .test_otp import code_for, enrol, log_in

pytestmark = pytest.mark.django_db


def _enrolled_and_logged_in_again(client, user) -> TOTPDevice:
    log_in(client, user.username)
    device = enrol(client, user)
    client.logout()
    log_in(client, user.username)
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    return device


def _wrong(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def test_verifying_the_code_gives_the_session_a_new_key(demo, personas, client):
    device = _enrolled_and_logged_in_again(client, personas["reviewer"])
    password_only = client.cookies["sessionid"].value
    client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert client.get("/campaigns/").status_code == 200
    assert client.cookies["sessionid"].value != password_only
    # The cookie from before the code is worth nothing now.
    client.cookies["sessionid"] = password_only
    assert client.get("/campaigns/").status_code == 302


def test_after_wrong_codes_the_owner_is_told_how_long_to_wait(demo, personas, client):
    device = _enrolled_and_logged_in_again(client, personas["reviewer"])
    for _ in range(6):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=(
            timezone.now() - timedelta(days=1)))
        client.post(reverse("otp_verify"), {"token": _wrong(device)})
    response = client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert response.status_code == 429
    text = response.content.decode()
    assert "请1分钟后再试" in text and "动态验证码不正确" not in text
    assert AuditEntry.objects.filter(action="auth.otp_failed", message__contains="须等待").exists()
    assert client.get("/campaigns/")["Location"] == reverse("otp_verify")


def test_the_wait_never_exceeds_fifteen_minutes(demo, personas, client):
    user = personas["reviewer"]
    device = _enrolled_and_logged_in_again(client, user)
    for _ in range(30):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=(
            timezone.now() - timedelta(days=1)))
        client.post(reverse("otp_verify"), {"token": _wrong(device)})
    assert 0 < otp.wait_seconds(user) <= 15 * 60
    response = client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert "分钟后再试" in response.content.decode()
    # Once the capped wait is over, the owner's code gets in.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=15, seconds=1))
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=15, seconds=1))
    client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert client.get("/campaigns/").status_code == 200
