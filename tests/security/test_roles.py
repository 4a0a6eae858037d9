"""Point 4: three-role separation, and every reporter confined to its unit, downloads too."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigndesk.units import accounts
from campaigndesk.units.models import Role, User
from campaigndesk.units.permissions import ROLE_ACTIONS, Action, allows

pytestmark = pytest.mark.django_db

SYSTEM = {Action.MANAGE_ACCOUNTS, Action.MANAGE_UNITS}
SECURITY = {Action.MANAGE_SECURITY}
AUDIT = {Action.READ_AUDIT}


def test_the_three_duties_never_meet_in_one_role():
    for role, actions in ROLE_ACTIONS.items():
        held = [bool(actions & SYSTEM), bool(actions & SECURITY), bool(actions & AUDIT)]
        assert sum(held) <= 1, role


def test_superuser_is_the_system_administrator_only(personas):
    root = personas["superuser"]
    assert allows(root, Action.MANAGE_ACCOUNTS)
    assert not allows(root, Action.READ_AUDIT)
    assert not allows(root, Action.MANAGE_SECURITY)


def test_a_superuser_cannot_also_hold_the_auditor_role(personas):
    root = personas["superuser"]
    with pytest.raises(Exception, match="超级用户"):
        accounts.update_account(personas["region_admin"], root, role=Role.AUDITOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=root.pk).update(role=Role.AUDITOR)


@pytest.mark.parametrize(("persona", "allowed", "refused"), [
    ("security_admin", ["security_locks", "security_policy"],
     ["account_list", "unit_list", "audit_log", "audit_export", "campaign_list"]),
    ("auditor", ["audit_log", "audit_export"],
     ["account_list", "unit_list", "security_locks", "security_policy", "campaign_list"]),
    ("region_admin", ["account_list", "unit_list", "security_locks"],
     ["audit_log", "audit_export", "security_policy"]),
])
def test_each_administrator_reaches_only_its_part(personas, client, persona, allowed, refused):
    client.force_login(personas[persona])
    for name in allowed:
        assert client.get(reverse(name)).status_code == 200, name
    for name in refused:
        assert client.get(reverse(name)).status_code == 403, name


def test_security_admin_lands_on_the_lock_list(personas, client):
    client.force_login(personas["security_admin"])
    assert client.get(reverse("home"))["Location"] == reverse("security_locks")


FILE_SUFFIXES = (".xlsx", ".jpg", ".docx", ".zip", ".csv", ".pdf")


def download_names() -> set[str]:
    names = set()

    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry)
            elif isinstance(entry, URLPattern) and entry.name:
                route = str(entry.pattern)
                if route.endswith(FILE_SUFFIXES) or route.endswith((".jpg", "wechat/")):
                    names.add(entry.name)

    walk(get_resolver())
    return names


def test_the_download_walk_covers_the_file_urls():
    from tests.test_permissions import MATRIX, PUBLIC

    names = download_names() - PUBLIC
    assert {"report_xlsx", "photo_file"} <= names
    assert names <= set(MATRIX)


@pytest.fixture
def unit_objects(demo, units, personas):
    from campaigndesk.progress import services
    from campaigndesk.progress.table import ActivityRow

    report = services.current_report(demo, units["150100"])
    services.save_round(personas["reporter"], report, [(None, ActivityRow(name="活动"))])
    services.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    return {"campaign": demo, "units": units, "account": personas["reporter"],
            "report": report}


@pytest.mark.parametrize("query", ["", "?v=1", "?size=full", "?a=1&b=1"])
def test_downloads_refuse_other_units_with_any_query(unit_objects, personas, client, query):
    """Every file-serving URL, built on 呼和浩特市's objects, as the other reporters (包头市,
    呼伦贝尔市, 满洲里市) and a role-less account: 403 or 404, whatever the query."""
    from tests.test_permissions import MATRIX, PUBLIC, url_for

    names = sorted(download_names() - PUBLIC)
    for persona in ("other_reporter", "hulunbuir", "manzhouli", "no_role"):
        client.force_login(personas[persona])
        for name in names:
            if persona in MATRIX[name][1]:
                continue
            response = client.get(url_for(name, unit_objects) + query)
            assert response.status_code in {403, 404}, (persona, name, response.status_code)
            assert "13800001234" not in response.content.decode("utf-8", "ignore")


def test_public_photo_of_an_unpublished_brief_is_404(unit_objects, personas, client):
    from campaigndesk.articles import services
    from tests.articles.conftest import jpeg

    article = services.create_article(personas["reporter"], campaign=unit_objects["campaign"],
                                      unit=unit_objects["units"]["150100"], title="未发布",
                                      body="正文")
    photo = services.add_photo(personas["reporter"], article, jpeg(shapes=3))
    response = client.get(reverse("news_photo", kwargs={"key": photo.key, "size": "full"}))
    assert response.status_code == 404
