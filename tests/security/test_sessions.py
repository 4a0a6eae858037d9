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
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
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


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_plain_get_does_not_write_the_session(demo):
    """Issue 12 point 8: with the database locked by a writer, every logged-in GET failed
    because the session row was written on every request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client()
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
        assert client.get(reverse("unit_progress", kwargs={"code": "150100"}),
                          follow=True).status_code == 200
    assert session_writes(queries.captured_queries) == []


def test_polling_the_screen_does_not_keep_the_session_alive(demo):
    """Issue 12 point 11: /screen/…/data.json polls refreshed the logged-in session."""
    data = reverse("screen_data", kwargs={"campaign_pk": demo.pk})
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client()
        for _minute in range(35):
            clock.shift(timedelta(minutes=1))
            assert client.get(data).status_code == 200
            assert client.get(reverse("news_index")).status_code == 200
            # The public API too: it never uses the session (tokens only).
            assert client.get("/api/v1/news/briefs").status_code == 200
        assert login_page(client.get(PAGE))


def test_dropping_the_activity_cookie_does_not_lengthen_the_session(demo):
    from campaigndesk.security import idle

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client()
        clock.shift(timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
        clock.shift(timedelta(minutes=5))
        # Without the cookie the log-in time counts: 25 minutes ago, still inside.
        del client.cookies[idle.COOKIE]
        assert client.get(PAGE).status_code == 200
        clock.shift(timedelta(minutes=10))
        del client.cookies[idle.COOKIE]
        assert login_page(client.get(PAGE))


def test_a_forged_activity_cookie_is_ignored(demo):
    from campaigndesk.security import idle

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client()
        other = logged_in_client()
        clock.shift(timedelta(minutes=29))
        assert other.get(PAGE).status_code == 200
        clock.shift(timedelta(minutes=2))
        # The other session's fresh cookie is bound to that session, not to this one.
        client.cookies[idle.COOKIE] = other.cookies[idle.COOKIE].value
        assert login_page(client.get(PAGE))


def test_a_session_ends_after_the_longest_time_however_active(demo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client()
        for _step in range(settings.SESSION_MAX_HOURS * 3 - 1):
            clock.shift(timedelta(minutes=20))
            assert client.get(PAGE).status_code == 200
        clock.shift(timedelta(minutes=21))
        assert login_page(client.get(PAGE))
