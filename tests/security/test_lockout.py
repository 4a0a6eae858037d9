"""Point 1: five failed log-ins in 15 minutes lock the user name for 15 minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.security.models import AccountLock

pytestmark = pytest.mark.django_db


def attempt(client, password, username="150100"):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times, username="150100"):
    for _ in range(times):
        response = attempt(client, "wrong-Password1", username)
        assert response.status_code == 200


def test_five_failures_lock_even_the_right_password(demo, client):
    fail(client, 5)
    response = attempt(client, DEMO_PASSWORD)
    assert not logged_in(client)
    text = response.content.decode()
    assert "账号已锁定" in text
    lock = AccountLock.objects.get(username="150100")
    assert f"{timezone.localtime(lock.until):%Y-%m-%d %H:%M}" in text
    assert lock.until - lock.locked_at == timedelta(minutes=15)
    entry = AuditEntry.objects.get(action="security.lock")
    assert entry.actor_username == "150100" and entry.changes["failures"] == 5


def test_four_failures_do_not_lock_and_a_success_resets_the_count(demo, client):
    fail(client, 4)
    attempt(client, DEMO_PASSWORD)
    assert logged_in(client)
    client.logout()
    fail(client, 4)
    attempt(client, DEMO_PASSWORD)
    assert logged_in(client)
    assert not AccountLock.objects.exists()


def test_failures_older_than_the_window_do_not_count(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, 4)
        clock.shift(timedelta(minutes=16))
        fail(client, 1)
        attempt(client, DEMO_PASSWORD)
        assert logged_in(client)


def test_the_lock_ends_after_15_minutes(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=14))
        attempt(client, DEMO_PASSWORD)
        assert not logged_in(client)
        clock.shift(timedelta(minutes=2))
        attempt(client, DEMO_PASSWORD)
        assert logged_in(client)


def test_lock_is_per_user_name_and_unknown_names_lock_too(demo, client):
    fail(client, 5, username="no-such-user")
    assert AccountLock.objects.filter(username="no-such-user").exists()
    attempt(client, DEMO_PASSWORD, "150200")
    assert logged_in(client)


@pytest.mark.parametrize("persona", ["security_admin", "region_admin"])
def test_unlock_from_the_web_is_audited(demo, personas, client, persona):
    fail(client, 5)
    lock = AccountLock.objects.get(username="150100")
    admin = personas[persona]
    client.force_login(admin)
    page = client.get(reverse("security_locks"))
    assert "150100" in page.content.decode()
    response = client.post(reverse("security_unlock", kwargs={"pk": lock.pk}))
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.unlocked_by == admin
    entry = AuditEntry.objects.get(action="security.unlock")
    assert entry.actor_id == admin.pk
    client.logout()
    attempt(client, DEMO_PASSWORD)
    assert logged_in(client)


@pytest.mark.parametrize("persona", ["reporter", "auditor", "reviewer"])
def test_others_cannot_unlock(demo, personas, client, persona):
    fail(client, 5)
    lock = AccountLock.objects.get(username="150100")
    client.force_login(personas[persona])
    response = client.post(reverse("security_unlock", kwargs={"pk": lock.pk}))
    assert response.status_code == 403
    lock.refresh_from_db()
    assert lock.unlocked_at is None
