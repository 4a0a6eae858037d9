"""Point 3: complexity, not the user name, expiry, forced change of an administrator-set
password; the demo accounts are exempt in demo mode only."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units import accounts
from campaigndesk.units.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", [DEMO_PASSWORD, "Hq3mZtpa", "hqmztp1!", "HQMZTP1!",
                                      "Ab!cdefg", "社工Hq3mZt8w"])
def test_three_of_four_classes_and_eight_characters_pass(password):
    validate_password(password, User(username="someone"))


@pytest.mark.parametrize("password", ["abcdefgh", "abcdefg1", "ABCDEFG!", "Ab1!xyz",
                                      "12345678", "Passwort"])
def test_simple_passwords_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, User(username="someone"))
    assert any("至少 8 位" in m for m in caught.value.messages)


@pytest.mark.parametrize("password", ["Wangfang#2026", "gnafgnaw#X1", "WANGFANG-x1"])
def test_password_may_not_contain_the_user_name(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, User(username="wangfang"))
    assert "密码不能包含用户名" in caught.value.messages


def new_account(admin, username="newreporter", password="Initial#2026"):  # noqa: S107
    return accounts.create_account(admin, username=username, password=password,
                                   role=Role.REVIEWER)


def test_first_login_with_an_administrator_set_password_forces_a_change(demo, personas, client):
    user = new_account(personas["region_admin"])
    assert user.must_change_password
    client.post(reverse("login"), {"username": "newreporter", "password": "Initial#2026"})
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "首次登录请先修改密码" in response.content.decode()
    # Every other page is closed until the password is changed.
    assert client.get(reverse("campaign_list"))["Location"] == reverse("password_change")
    client.post(reverse("password_change"), {
        "old_password": "Initial#2026", "new_password1": "Mine#Own2026",
        "new_password2": "Mine#Own2026"})
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("campaign_list")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.password_change", actor=user).exists()


def test_reset_by_the_administrator_forces_a_change_again(demo, personas):
    user = personas["superuser"]
    accounts.reset_password(personas["region_admin"], user, "Reset#Pass2026")
    user.refresh_from_db()
    assert user.must_change_password
    entry = AuditEntry.objects.get(action="account.reset_password")
    assert entry.changes["password"] == "******"


def test_passwords_expire_after_90_days(demo, personas, client, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    user = personas["no_role"]
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.force_login(user)
        response = client.get(reverse("notices"))
        assert response["Location"] == reverse("password_change")
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        client.force_login(user)
        assert client.get(reverse("notices")).status_code == 200


def test_demo_accounts_are_exempt_only_in_demo_mode(demo, personas, client, settings):
    reporter = personas["reporter"]
    assert reporter.password_policy_exempt
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        client.force_login(reporter)
        page = f"/campaigns/{demo.pk}/units/150100/"
        assert client.get(page).status_code == 200
        settings.DEMO_MODE = False
        assert client.get(page)["Location"] == reverse("password_change")


def test_demo_logs_straight_in(demo, client):
    response = client.post(reverse("login"), {"username": "150100", "password": DEMO_PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/campaigns/{demo.pk}/units/150100/"


def test_policy_page_states_the_password_rule_that_is_checked(personas, client):
    client.force_login(personas["security_admin"])
    page = client.get(reverse("security_policy")).content.decode()
    assert "密码至少 8 位，并包含大写字母、小写字母、数字、符号中的至少 3 种" in page
    assert "密码不能包含用户名" in page
