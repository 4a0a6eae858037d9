"""Issue 12 point 1: with the password alone, before the code, an attacker enrolled a phone
of their own, read new recovery codes and changed the password, and the audit log showed a
normal enrolment. Until the code is verified only the verify page and log-out are reachable;
enrolling over an existing phone needs the existing code; the audit says what happened."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units.models import User
from tests.security.test_otp import code_for, enrol, recovery_codes, unthrottle
from tests.test_permissions import MATRIX, PUBLIC, objects, url_for  # noqa: F401

pytestmark = pytest.mark.django_db

# Reachable with the password alone: the verify page, log-out, and what anonymous visitors
# may open anyway.
OPEN = {"otp_verify", "logout"} | PUBLIC


def password_only(username="reviewer") -> Client:
    """A session that gave the right password and no code (the attacker's)."""
    attacker = Client()
    response = attacker.post(reverse("login"), {"username": username,
                                                "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return attacker


@pytest.fixture
def victim(demo, personas, client):
    """The reviewer with a confirmed phone and recovery codes."""
    client.post(reverse("login"), {"username": "reviewer", "password": DEMO_PASSWORD})
    device = enrol(client, personas["reviewer"])
    codes = recovery_codes(client)
    client.logout()
    return {"user": personas["reviewer"], "device": device, "codes": codes}


def second_factor_state(user) -> tuple:
    return (sorted(TOTPDevice.objects.filter(user=user, confirmed=True)
                   .values_list("pk", "key")),
            sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)))


def test_enrolment_recovery_codes_and_password_are_closed_before_the_code(victim):
    user = victim["user"]
    before = second_factor_state(user)
    attacker = password_only()
    for name in ("otp_setup", "otp_recovery", "password_change"):
        assert attacker.get(reverse(name))["Location"] == reverse("otp_verify"), name
    # The attack as it was done: enrol a new phone with a code it shows, ask for new codes,
    # set a new password.
    attacker.get(reverse("otp_setup"))
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    token = code_for(pending) if pending else "123456"
    assert attacker.post(reverse("otp_setup"), {"token": token})["Location"] == \
        reverse("otp_verify")
    assert attacker.post(reverse("otp_recovery"))["Location"] == reverse("otp_verify")
    response = attacker.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Taken#Over2026",
        "new_password2": "Taken#Over2026"})
    assert response["Location"] == reverse("otp_verify")
    assert second_factor_state(user) == before
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert not AuditEntry.objects.filter(
        action__in=["security.otp_enrol", "security.otp_replace",
                    "security.otp_recovery_codes", "auth.password_change"],
        at__gt=AuditEntry.objects.get(action="security.otp_enrol").at).exists()


def test_every_page_but_verify_and_log_out_is_closed_before_the_code(victim, objects):  # noqa: F811
    attacker = password_only()
    for name in sorted(set(MATRIX) - OPEN):
        url = url_for(name, objects)
        for method in ("get", "post"):
            response = getattr(attacker, method)(url)
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"] == reverse("otp_verify"), (name, method)
    assert attacker.get(reverse("otp_verify")).status_code == 200
    attacker.post(reverse("logout"))
    assert "_auth_user_id" not in attacker.session


def test_replacing_the_phone_needs_the_existing_code(victim, client):
    user, old = victim["user"], victim["device"]
    client.post(reverse("login"), {"username": "reviewer", "password": DEMO_PASSWORD})
    old.refresh_from_db()
    old.last_t = -1  # the code of this time step was used at enrolment
    old.save()
    client.post(reverse("otp_verify"), {"token": code_for(old)})
    assert client.get(reverse("campaign_list")).status_code == 200
    page = client.get(reverse("otp_setup"))
    assert "原动态验证码或恢复码" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    # Without the old code, or with a wrong one: refused, the old phone stays.
    response = client.post(reverse("otp_setup"), {"token": code_for(new)})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = client.post(reverse("otp_setup"), {"token": code_for(new), "current": "00000000"})
    assert "原动态验证码或恢复码不正确" in response.content.decode()
    assert TOTPDevice.objects.get(user=user, confirmed=True).pk == old.pk
    assert AuditEntry.objects.filter(action="auth.otp_failed", actor=user).exists()
    # With one of the recovery codes: replaced, and the log says replaced, not enrolled.
    unthrottle(user)  # django-otp's pause after the wrong code
    response = client.post(reverse("otp_setup"), {"token": code_for(new),
                                                  "current": victim["codes"][0]})
    assert response["Location"] == reverse("otp_recovery")
    assert TOTPDevice.objects.get(user=user, confirmed=True).pk == new.pk
    entry = AuditEntry.objects.get(action="security.otp_replace")
    assert entry.actor == user and "已核对原验证码" in entry.message
    assert AuditEntry.objects.filter(action="security.otp_enrol").count() == 1
    assert not set(recovery_codes(client)) & set(victim["codes"])


def test_the_reset_is_logged_as_a_reset_by_the_system_administrator(victim, personas,
                                                                    client):
    # The victim is a reviewer, an ordinary account: its reset is the system
    # administrator's (the security administrator resets only privileged accounts').
    client.force_login(personas["region_admin"])
    client.post(reverse("otp_reset", kwargs={"pk": victim["user"].pk}))
    entry = AuditEntry.objects.get(action="security.otp_reset")
    assert entry.actor == personas["region_admin"]
    assert entry.object_id == str(victim["user"].pk)
    assert not TOTPDevice.objects.filter(user=victim["user"]).exists()
    # After the reset the owner enrols afresh: logged as an enrolment again.
    client.logout()
    client.post(reverse("login"), {"username": "reviewer", "password": DEMO_PASSWORD})
    enrol(client, User.objects.get(username="reviewer"))
    assert AuditEntry.objects.filter(action="security.otp_enrol").count() == 2
