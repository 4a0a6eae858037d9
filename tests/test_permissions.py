"""Every URL of the site, walked as every persona.

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`, so nothing
new escapes the check. Allowed personas must get a page (200) or a redirect inside the
site; everyone else 403 or 404 (anonymous visitors: the log-in page), and never another
unit's name in the answer.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigndesk.units.models import Unit, User
from tests.articles.matrix import ARTICLE_MATRIX, ARTICLE_PUBLIC
from tests.oversight.matrix import OVERSIGHT_MATRIX, OVERSIGHT_PUBLIC
from tests.security.matrix import SECURITY_MATRIX

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
REGION = {"region_admin", "reviewer", "superuser"}
ADMIN = {"region_admin", "superuser"}

# url name -> (kwargs builder, personas allowed to GET, method that is not allowed or None)
MATRIX = {
    "home": (lambda f: {}, EVERYONE - {"no_role"}, None),
    "login": (lambda f: {}, EVERYONE, None),
    "logout": (lambda f: {}, EVERYONE, "GET"),
    "password_change": (lambda f: {}, EVERYONE, None),
    "password_change_done": (lambda f: {}, EVERYONE, None),
    "campaign_list": (lambda f: {}, REGION, None),
    "campaign_create": (lambda f: {}, ADMIN, "PUT"),
    "campaign_overview": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
    "campaign_edit": (lambda f: {"pk": f["campaign"].pk}, ADMIN, "PUT"),
    "campaign_copy": (lambda f: {"pk": f["campaign"].pk}, ADMIN, "GET"),
    "unit_home": (lambda f: {"code": "150100"}, REGION | {"reporter"}, None),
    "campaign_unit_home": (
        lambda f: {"campaign_pk": f["campaign"].pk, "code": "150100"}, REGION | {"reporter"}, None
    ),
    "unit_list": (lambda f: {}, ADMIN, None),
    "unit_create": (lambda f: {}, ADMIN, "PUT"),
    "unit_edit": (lambda f: {"pk": f["units"]["150100"].pk}, ADMIN, "PUT"),
    "unit_delete": (lambda f: {"pk": f["units"]["150100"].pk}, ADMIN, "GET"),
    "unit_active": (lambda f: {"pk": f["units"]["150100"].pk}, ADMIN, "GET"),
    "account_list": (lambda f: {}, ADMIN, None),
    "account_create": (lambda f: {}, ADMIN, "PUT"),
    "account_edit": (lambda f: {"pk": f["account"].pk}, ADMIN, "PUT"),
    "account_password": (lambda f: {"pk": f["account"].pk}, ADMIN, "PUT"),
    # Three-role separation: the superuser is the system administrator, not an auditor.
    "audit_log": (lambda f: {}, {"auditor"}, None),
    "unit_progress": (lambda f: {"code": "150100"}, REGION | {"reporter"}, None),
    "progress_import": (lambda f: {"code": "150100"}, ADMIN | {"reporter"}, "GET"),
    "progress_import_confirm": (lambda f: {"code": "150100"}, ADMIN | {"reporter"}, "GET"),
    "progress_template": (lambda f: {}, EVERYONE, None),
    "report_detail": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "report_version": (lambda f: {"pk": f["report"].pk, "number": 1}, REGION | {"reporter"},
                       None),
    "report_diff": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "report_reopen": (lambda f: {"pk": f["report"].pk}, ADMIN, "GET"),
    "report_xlsx": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "campaign_progress": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
    "campaign_progress_xlsx": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
}
MATRIX.update(ARTICLE_MATRIX)
MATRIX.update(SECURITY_MATRIX)
MATRIX.update(OVERSIGHT_MATRIX)
# Pages whose allowed personas are anonymous-friendly: no log-in redirect expected.
PUBLIC = {"login"} | ARTICLE_PUBLIC | OVERSIGHT_PUBLIC


def all_url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= all_url_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def test_every_url_is_in_the_matrix():
    assert all_url_names() == set(MATRIX)


@pytest.fixture
def objects(demo, units, personas):
    """Objects of 呼和浩特市 (150100): its first-round report, submitted once."""
    from campaigndesk.progress import services
    from campaigndesk.progress.table import ActivityRow

    report = services.current_report(demo, units["150100"])
    services.save_round(personas["reporter"], report, [(None, ActivityRow(name="呼和浩特市活动"))])
    services.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    return {"campaign": demo, "units": units, "account": personas["reporter"], "report": report}


def url_for(name, objects):
    builder = MATRIX[name][0]
    return reverse(name, kwargs=builder(objects))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_get(name, objects, personas, client):
    _, allowed, bad_method = MATRIX[name]
    url = url_for(name, objects)
    for persona, user in personas.items():
        client.force_login(user)
        response = client.get(url)
        if persona in allowed and bad_method != "GET":
            assert response.status_code in {200, 302}, (persona, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/"), (persona, url)
        elif persona in allowed:
            assert response.status_code == 405, (persona, url, response.status_code)
        else:
            assert response.status_code in {403, 404}, (persona, url, response.status_code)
        client.logout()


@pytest.mark.parametrize("name", sorted(set(MATRIX) - PUBLIC))
def test_matrix_anonymous_gets_the_login_page(name, objects, client):
    url = url_for(name, objects)
    response = client.get(url)
    if name in {"logout"}:
        assert response.status_code == 405
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if MATRIX[n][1] != EVERYONE))
def test_matrix_post_by_outsiders_changes_nothing(name, objects, personas, client):
    from campaigndesk.audit.models import AuditEntry

    _, allowed, _ = MATRIX[name]
    url = url_for(name, objects)
    for persona, user in personas.items():
        if persona in allowed:
            continue
        client.force_login(user)
        # Log-ins, and the refusal itself (access.*, issue 12 point 14), are no change.
        changes = (AuditEntry.objects.exclude(action__startswith="auth.")
                   .exclude(action__startswith="access."))
        before = changes.count()
        response = client.post(url, {"active": "0", "year": "2030", "name": "改名"})
        assert response.status_code in {403, 404, 405}, (persona, url, response.status_code)
        after = changes.count()
        assert before == after, (persona, url)
        client.logout()
    assert Unit.objects.get(code="150100").is_active
    assert Unit.objects.get(code="150100").name == "呼和浩特市"


def test_wrong_method_on_every_post_only_url_for_the_allowed(objects, personas, client):
    client.force_login(personas["region_admin"])
    for name, (_, allowed, bad_method) in MATRIX.items():
        if bad_method and "region_admin" in allowed:
            response = client.generic(bad_method, url_for(name, objects))
            assert response.status_code == 405, name


def test_reporter_of_another_unit_never_sees_its_data(objects, personas, client):
    client.force_login(personas["other_reporter"])
    for code in ["150100", "150781", "150000"]:
        response = client.get(reverse("unit_home", kwargs={"code": code}))
        assert response.status_code == 404
        assert Unit.objects.get(code=code).name not in response.content.decode()


def test_league_reporter_cannot_open_the_directly_reporting_city_inside_it(objects, personas,
                                                                            client):
    client.force_login(personas["hulunbuir"])
    assert client.get(reverse("unit_home", kwargs={"code": "150700"})).status_code == 200
    assert client.get(reverse("unit_home", kwargs={"code": "150781"})).status_code == 404
    county = Unit.objects.get(name="海拉尔区")
    assert client.get(reverse("unit_home", kwargs={"code": county.code})).status_code == 200


def test_deactivated_account_is_refused(objects, personas, client):
    user = personas["reporter"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": "150100", "password": "Demo#2022"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
