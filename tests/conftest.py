"""Named personas on the real demo data: the 2022 campaign, its units and accounts."""

import pytest

from campaigndesk.demo import load_demo
from campaigndesk.units.models import Role, Unit, User


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    load_demo()
    from campaigndesk.campaigns.models import Campaign

    return Campaign.objects.get(year=2022)


@pytest.fixture
def units(demo):
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def personas(demo, units):
    """region_admin, reviewer, auditor, reporter (呼和浩特市), other_reporter (包头市),
    hulunbuir (呼伦贝尔市), manzhouli (满洲里市), superuser, no_role."""
    people = {
        "region_admin": User.objects.get(username="region-admin"),
        "reviewer": User.objects.get(username="reviewer"),
        "auditor": User.objects.get(username="auditor"),
        "reporter": User.objects.get(username="150100"),
        "other_reporter": User.objects.get(username="150200"),
        "hulunbuir": User.objects.get(username="150700"),
        "manzhouli": User.objects.get(username="150781"),
        "superuser": User.objects.create_superuser("root", "root@example.org", "Root#2022x"),
        "no_role": User.objects.create_user("nobody", password="Nobody#2022x"),
    }
    assert people["reporter"].role == Role.REPORTER
    return people


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
