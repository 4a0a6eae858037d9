"""Every URL of the site, walked as every persona.

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`, so nothing
new escapes the check. Allowed personas must get a page (200) or a redirect inside the
site; everyone else 403 or 404 (anonymous visitors: the log-in page), and never another
unit's name in the answer.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigndesk.units.models import Unit, User
from tests.api.matrix import API_PAGES_MATRIX
from tests.articles.matrix import ARTICLE_MATRIX, ARTICLE_PUBLIC
from tests.cascade.matrix import CASCADE_EXTRA, CASCADE_MATRIX, open_demo_cascade
from tests.intake.matrix import INTAKE_MATRIX
from tests.jobs.matrix import JOBS_MATRIX
from tests.ministry.matrix import MINISTRY_MATRIX
from tests.oversight.matrix import OVERSIGHT_MATRIX, OVERSIGHT_PUBLIC
from tests.places.matrix import PLACES_MATRIX, PLACES_PUBLIC
from tests.security.matrix import SECURITY_MATRIX

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
# Issue 17 point 2: staff of 民政部 on an installation run at the ministry (MINISTRY_MODE,
# on for this walk). The other apps' matrices list the ten personas above; a page they
# open to all ten is open to the ministry's staff too (added below), every other page
# must refuse them (those open to every account, like home, too).
MINISTRY_PERSONA = "ministry"
REGION = {"region_admin", "reviewer", "superuser"}
ADMIN = {"region_admin", "superuser"}


def _in_campaign(f):
    """A page of 呼和浩特市 (150100) in the walked campaign."""
    return {"campaign_pk": f["campaign"].pk, "code": "150100"}


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
    # GET shows what would be copied and creates nothing; POST creates.
    "campaign_copy": (lambda f: {"pk": f["campaign"].pk}, ADMIN, "PUT"),
    "campaign_close": (lambda f: {"pk": f["campaign"].pk}, ADMIN, "GET"),
    "campaign_reopen": (lambda f: {"pk": f["campaign"].pk}, ADMIN, "GET"),
    # Old addresses without the campaign redirect by GET only: nothing is saved through them.
    "unit_home": (lambda f: {"code": "150100"}, REGION | {"reporter"}, "POST"),
    "campaign_unit_home": (_in_campaign, REGION | {"reporter"}, "POST"),
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
    "unit_progress": (lambda f: {"code": "150100"}, REGION | {"reporter"}, "POST"),
    "campaign_unit_progress": (_in_campaign, REGION | {"reporter"}, "PUT"),
    # POST only; a GET (a stale link, a log-in after the session ended) goes back to the grid.
    "campaign_progress_import": (_in_campaign, ADMIN | {"reporter"}, "PUT"),
    # Where a pasted block's columns go: POST only, nothing saved.
    "campaign_progress_paste": (_in_campaign, ADMIN | {"reporter"}, "GET"),
    "campaign_progress_import_confirm": (_in_campaign, ADMIN | {"reporter"}, "PUT"),
    "progress_template": (lambda f: {}, EVERYONE, None),
    # The campaign's blank table: whoever may open the campaign (its units, the region).
    "campaign_progress_template": (lambda f: {"pk": f["campaign"].pk},
                                   REGION | {"reporter", "other_reporter", "hulunbuir",
                                             "manzhouli"}, "POST"),
    "report_detail": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "report_version": (lambda f: {"pk": f["report"].pk, "number": 1}, REGION | {"reporter"},
                       None),
    "report_diff": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "report_reopen": (lambda f: {"pk": f["report"].pk}, ADMIN, "GET"),
    "report_xlsx": (lambda f: {"pk": f["report"].pk}, REGION | {"reporter"}, None),
    "campaign_progress": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
    # Starts the workbook as a background job: POST only (tests/jobs/matrix.py: its pages).
    "campaign_progress_xlsx": (lambda f: {"pk": f["campaign"].pk}, REGION, "GET"),
    # 使用说明: the general page for anyone (no log-in), the role pages for every account.
    "help": (lambda f: {}, EVERYONE, "POST"),
    "help_reporter": (lambda f: {}, EVERYONE, "POST"),
    "help_reviewer": (lambda f: {}, EVERYONE, "POST"),
    "help_admin": (lambda f: {}, EVERYONE, "POST"),
}
MATRIX.update(ARTICLE_MATRIX)
MATRIX.update(SECURITY_MATRIX)
MATRIX.update(OVERSIGHT_MATRIX)
MATRIX.update(PLACES_MATRIX)
MATRIX.update(API_PAGES_MATRIX)
MATRIX.update(INTAKE_MATRIX)
MATRIX.update(JOBS_MATRIX)
MATRIX.update(CASCADE_MATRIX)
MATRIX.update(MINISTRY_MATRIX)
MATRIX = {name: (build, allowed | {MINISTRY_PERSONA} if allowed >= EVERYONE - {"no_role"}
                 else allowed, method)
          for name, (build, allowed, method) in MATRIX.items()}
EVERYONE = EVERYONE | {MINISTRY_PERSONA}
# Pages whose allowed personas are anonymous-friendly: no log-in redirect expected.
PUBLIC = {"login", "help"} | ARTICLE_PUBLIC | OVERSIGHT_PUBLIC | PLACES_PUBLIC


# The REST API's routes answer tokens, not sessions: tests/api/test_permissions.py walks
# every one of them for every persona's token.
API_NAMESPACE = "api-v1"


def all_url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != API_NAMESPACE:
                names |= all_url_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def test_every_url_is_in_the_matrix():
    assert all_url_names() == set(MATRIX)


@pytest.fixture
def personas(personas, settings, demo, units):
    """The ten personas and an account of 民政部, on an installation run at the ministry;
    issue 17 point 1 adds two levels: county_reporter (新城区, inside 呼和浩特市's cascade)
    and league_reviewer (盟市审核员 of 呼和浩特市)."""
    from campaigndesk.units.models import Role

    settings.MINISTRY_MODE = True
    staff = User.objects.create_user("ministry-staff", password="Mca#2022staff",
                                     role=Role.MINISTRY)
    extra = open_demo_cascade(demo, units, personas["reporter"])
    return {**personas, MINISTRY_PERSONA: staff, **extra}


@pytest.fixture
def objects(demo, units, personas):
    """Objects of 呼和浩特市 (150100): its first-round report, submitted once; 新城区's
    brief waiting for 呼和浩特市's review (issue 17)."""
    from campaigndesk.progress import services
    from campaigndesk.progress.table import ActivityRow
    from tests.cascade.matrix import county_brief

    report = services.current_report(demo, units["150100"])
    services.save_round(personas["reporter"], report, [(None, ActivityRow(name="呼和浩特市活动"))])
    services.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    # The matrix walks of tests/security (fuzz, second-factor gate) use this fixture with the
    # ten personas of tests/conftest.py, without this module's cascade: they open it here.
    county = personas.get("county_reporter") or open_demo_cascade(
        demo, units, personas["reporter"])["county_reporter"]
    return {"campaign": demo, "units": units, "account": personas["reporter"], "report": report,
            "county_brief": county_brief(demo, units, county)}


def _allowed(name: str) -> set[str]:
    """The personas a URL admits: the matrix's, plus the county and league levels'."""
    allowed = MATRIX[name][1]
    if allowed >= EVERYONE - {"no_role"}:  # every account: the new levels' too
        allowed = allowed | {"county_reporter", "league_reviewer"}
    return allowed | CASCADE_EXTRA.get(name, set())


def url_for(name, objects):
    builder = MATRIX[name][0]
    return reverse(name, kwargs=builder(objects))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_get(name, objects, personas, client):
    _, _everyone, bad_method = MATRIX[name]
    allowed = _allowed(name)
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

    allowed = _allowed(name)
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
    campaign = objects["campaign"].pk
    for name, kwargs in (("unit_home", {}), ("campaign_unit_home", {"campaign_pk": campaign})):
        own = client.get(reverse(name, kwargs={"code": "150700", **kwargs}), follow=True)
        assert own.status_code == 200 and "呼伦贝尔市" in own.content.decode()
        city = client.get(reverse(name, kwargs={"code": "150781", **kwargs}))
        assert city.status_code == 404
    county = Unit.objects.get(name="海拉尔区")
    assert client.get(reverse("unit_home", kwargs={"code": county.code})).status_code == 200


def test_deactivated_account_is_refused(objects, personas, client):
    user = personas["reporter"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": "150100", "password": "Demo#2022"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def _campaign_writes(f, personas):
    """(persona, url, data) for every page that changes a campaign's data, with what a real
    user sends there. Briefs and photos are made first, so both tests below find them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigndesk.articles import services as articles
    from tests.articles.conftest import jpeg
    from tests.articles.matrix import brief
    from tests.places.matrix import place
    from tests.progress.builders import messy_table
    from tests.security.matrix import deleted_brief, draft_brief
    from tests.test_progress_web import GOOD, grid_post

    draft, published, deleted = draft_brief(f), brief(f), deleted_brief(f)
    photo = articles.add_photo(personas["reporter"], draft, jpeg(shapes=3), caption="现场")
    in_campaign = _in_campaign(f)
    summary = f["campaign"].deadlines.get(kind="summary")
    return [
        ("reporter", reverse("campaign_unit_progress", kwargs=in_campaign),
         lambda: grid_post([GOOD])),
        ("reporter", reverse("campaign_progress_import", kwargs=in_campaign),
         lambda: {"file": SimpleUploadedFile("进展.xlsx", messy_table())}),
        ("reporter", reverse("campaign_article_create", kwargs=in_campaign),
         lambda: {"title": "新稿件", "body": "正文"}),
        ("reporter", reverse("article_edit", kwargs={"pk": draft.pk}),
         lambda: {"title": "改过的草稿", "body": "正文", "version": "0"}),
        ("reporter", reverse("photo_add", kwargs={"pk": draft.pk}),
         lambda: {"image": SimpleUploadedFile("b.jpg", jpeg(shapes=9), "image/jpeg")}),
        ("reporter", reverse("photo_edit", kwargs={"pk": photo.pk}),
         lambda: {"caption": "新的说明"}),
        ("reviewer", reverse("article_comment", kwargs={"pk": published.pk}),
         lambda: {"start": "0", "end": "2", "text": "意见"}),
        ("reviewer", reverse("article_step", kwargs={"pk": published.pk, "step": "recommend"}),
         dict),
        ("reporter", reverse("article_delete", kwargs={"pk": draft.pk}),
         lambda: {"reason": "重复报送"}),
        ("region_admin", reverse("article_restore", kwargs={"pk": deleted.pk}), dict),
        ("region_admin", reverse("report_reopen", kwargs={"pk": f["report"].pk}),
         lambda: {"reason": "请更正"}),
        ("reporter", reverse("unit_summary", kwargs=in_campaign), lambda: {"text": "活动总结"}),
        ("reviewer", reverse("campaign_remind", kwargs={"pk": f["campaign"].pk}),
         lambda: {"deadline": str(summary.pk)}),
        ("region_admin", reverse("reminder_log", kwargs={"pk": f["campaign"].pk}),
         lambda: {"offsets_text": "48,2"}),
        ("reporter", reverse("place_signage", kwargs={"campaign_pk": f["campaign"].pk,
                                                      "pk": place(f).pk}),
         lambda: {"image": SimpleUploadedFile("sign.jpg", jpeg(shapes=11), "image/jpeg")}),
    ]


def _changes() -> int:
    from campaigndesk.audit.models import AuditEntry

    return AuditEntry.objects.exclude(action__startswith="auth.").count()


def test_every_campaign_write_changes_something_while_open(objects, personas, client):
    """The control for the next test: each of these requests does write when allowed."""
    for persona, url, data in _campaign_writes(objects, personas):
        client.force_login(personas[persona])
        before = _changes()
        response = client.post(url, data())
        assert response.status_code in {200, 302}, (url, response.status_code)
        assert _changes() > before, url


def test_a_closed_campaign_refuses_every_write_with_its_reason(objects, personas, client):
    from campaigndesk.campaigns.services import close_campaign

    writes = _campaign_writes(objects, personas)
    close_campaign(personas["region_admin"], objects["campaign"], "活动结束")
    for persona, url, data in writes:
        client.force_login(personas[persona])
        before = _changes()
        response = client.post(url, data(), follow=True)
        assert response.status_code in {200, 409}, (url, response.status_code)
        assert "本次活动已结束（已关闭），不能再修改" in response.content.decode(), url
        assert _changes() == before, url
