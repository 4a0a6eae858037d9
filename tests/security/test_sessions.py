"""Point 2: sessions end after the idle time, on log-out and on a password change."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units import accounts

pytestmark = pytest.mark.django_db
PAGE = "/notices/"  # a page of every signed-in user that needs no campaign


def login_page(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def logged_in_client(username="150100", password=DEMO_PASSWORD) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def test_idle_time_is_30_minutes_and_activity_extends_it(demo):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client()
        clock.shift(timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200  # the last request restarted the clock
        clock.shift(timedelta(minutes=31))
        assert login_page(client.get(PAGE))


def test_an_old_cookie_gets_the_login_page_after_logout(demo):
    client = logged_in_client()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert login_page(thief.get(PAGE))


def test_password_change_ends_the_other_sessions_and_keeps_this_one(demo):
    here = logged_in_client()
    elsewhere = logged_in_client()
    assert elsewhere.get(PAGE).status_code == 200
    response = here.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Neues#Pass2026",
        "new_password2": "Neues#Pass2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert here.get(PAGE).status_code == 200
    assert login_page(elsewhere.get(PAGE))


def test_administrator_reset_ends_the_users_sessions(demo, personas):
    client = logged_in_client()
    accounts.reset_password(personas["region_admin"], personas["reporter"], "Reset#Pass2026")
    assert login_page(client.get(PAGE))
