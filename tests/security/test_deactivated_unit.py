"""Issue 12 point 13: a deactivated unit still worked (its reporter logged in, saved rows,
created a brief). Deactivating a unit ends its accounts' access, sessions included."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigndesk.articles.models import Article
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows

pytestmark = pytest.mark.django_db


def log_in(username="150100") -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    return client


def set_active(personas, unit, active: bool) -> None:
    admin = Client()
    admin.force_login(personas["region_admin"])
    response = admin.post(reverse("unit_active", kwargs={"pk": unit.pk}),
                          {"active": "1" if active else "0"})
    assert response.status_code == 302


def test_deactivating_a_unit_ends_its_reporters_access(demo, personas):
    unit = Unit.objects.get(code="150100")
    reporter = log_in()
    assert reporter.get(reverse("unit_home", kwargs={"code": "150100"}),
                        follow=True).status_code == 200
    set_active(personas, unit, False)
    # The open session is over: every page answers with the log-in page, nothing is saved.
    page = reporter.get(reverse("unit_home", kwargs={"code": "150100"}))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    response = reporter.post(reverse("article_create", kwargs={"code": "150100"}),
                             {"title": "停用后的稿件", "body": "正文"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    progress = reporter.post(reverse("unit_progress", kwargs={"code": "150100"}),
                             {"revision": "0"})
    assert progress["Location"].startswith(reverse("login"))
    assert not Article.objects.filter(unit=unit).exists()
    # The right password no longer logs in; the permission layer says no as well.
    assert "_auth_user_id" not in log_in().session
    personas["reporter"].refresh_from_db()
    assert not allows(personas["reporter"], Action.EDIT_UNIT_DATA, unit)
    # Other units are not touched; reactivating gives the access back.
    assert "_auth_user_id" in log_in("150200").session
    set_active(personas, unit, True)
    assert "_auth_user_id" in log_in().session


def _logged_out(client) -> bool:
    page = client.get(reverse("unit_home", kwargs={"code": "150100"}))
    return page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_reactivating_a_unit_does_not_bring_its_old_sessions_back(demo, personas):
    unit = Unit.objects.get(code="150100")
    reporter = log_in()
    assert not _logged_out(reporter)
    set_active(personas, unit, False)
    set_active(personas, unit, True)
    assert _logged_out(reporter)
    assert not _logged_out(log_in())  # a fresh log-in works again


def test_reactivating_an_account_does_not_bring_its_old_sessions_back(demo, personas):
    from campaigndesk.units import accounts
    from campaigndesk.units.models import User

    reporter = log_in()
    account = User.objects.get(username="150100")
    accounts.update_account(personas["region_admin"], account, is_active=False)
    accounts.update_account(personas["region_admin"], account, is_active=True)
    assert _logged_out(reporter)
    assert not _logged_out(log_in())
