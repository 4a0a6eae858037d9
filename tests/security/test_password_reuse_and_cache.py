"""Issue 12 point 18 (password and cache parts): a reused password and "12345678Aa" were
accepted; authenticated pages could be kept by the browser."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.security.models import PasswordHistory
from campaigndesk.units import accounts
from campaigndesk.units.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["12345678Aa", "Password123!", "Qwerty123!", "1qaz2wsx#"])
def test_common_passwords_dressed_up_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, User(username="someone"))
    assert any("过于常见" in message for message in caught.value.messages)


def test_the_web_refuses_12345678Aa_for_a_new_account(personas, client):
    client.force_login(personas["region_admin"])
    response = client.post(reverse("account_create"), {
        "username": "weak1", "role": "reviewer", "password1": "12345678Aa",
        "password2": "12345678Aa"})
    assert "密码过于常见" in response.content.decode()
    assert not User.objects.filter(username="weak1").exists()


def change(client, old, new):
    return client.post(reverse("password_change"), {
        "old_password": old, "new_password1": new, "new_password2": new})


def test_none_of_the_last_five_passwords_comes_back(demo, personas, client):
    user = personas["reporter"]
    client.post(reverse("login"), {"username": "150100", "password": DEMO_PASSWORD})
    passwords = [DEMO_PASSWORD] + [f"Hohhot#Steppe{n}x" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change(client, old, new).status_code == 302, new
    # In use: Hohhot#Steppe5x. The five last ones are refused, on the web and by a reset.
    for reused in passwords[1:]:
        response = change(client, passwords[-1], reused)
        assert response.status_code == 200
        assert "不能与最近 5 次使用过的密码相同" in response.content.decode(), reused
        with pytest.raises(ValidationError):
            accounts.reset_password(personas["region_admin"], user, reused)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The sixth one back may come again.
    assert change(client, passwords[-1], DEMO_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_authenticated_pages_are_not_stored(demo, client):
    client.post(reverse("login"), {"username": "150100", "password": DEMO_PASSWORD})
    for url in (reverse("unit_home", kwargs={"code": "150100"}), reverse("password_change"),
                reverse("progress_template")):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url
    client.post(reverse("logout"))
    # Public pages keep their own caching for anonymous visitors.
    assert "no-store" not in client.get(reverse("news_index")).get("Cache-Control", "")
