"""Every API route, walked with every persona's token and with other units' tokens.

A region-wide token acts as its creator (their role now); a unit's token acts as that
unit's reporter. The expectations below are the web's (tests/test_permissions.py): the
region's roles and 呼和浩特市's own reporter see 呼和浩特市 (150100); its reporter and the
system administrators write there; other units, the auditor, the security administrator
and an account without a role never see it (404, or 403 where the unit itself is visible).
Adding a route without walking it fails `test_every_route_is_walked`.
"""

from datetime import date

import pytest

from campaigndesk.api.api import api
from campaigndesk.progress import services
from campaigndesk.progress.models import Report
from campaigndesk.progress.table import ActivityRow

from .conftest import make_token

REGION_CREATORS = ["region_admin", "reviewer", "superuser", "auditor", "security_admin",
                   "no_role", "reporter"]
UNIT_TOKENS = ["150100", "150200", "150700", "150781"]
PRINCIPALS = [f"region:{p}" for p in REGION_CREATORS] + [f"unit:{c}" for c in UNIT_TOKENS]
VIEWERS = {"region:region_admin", "region:reviewer", "region:superuser", "region:reporter",
           "unit:150100"}
WRITERS = {"region:region_admin", "region:superuser", "region:reporter", "unit:150100"}
# The 2022 campaign's participants' tokens and the region's roles open the campaign.
CAMPAIGN = VIEWERS | {"unit:150200", "unit:150700", "unit:150781"}
EVERYONE = set(PRINCIPALS)

GOOD = {"name": "矩阵活动", "participants": 10, "start_date": "2022-03-20",
        "service_areas": ["老年人"]}


@pytest.fixture
def world(demo, units, personas):
    """150100 has submitted round 1 (one activity) and holds round 2 with one draft row;
    a token for every principal."""
    unit = units["150100"]
    first = services.current_report(demo, unit)
    services.save_round(personas["reporter"], first, [(None, ActivityRow(name="已报送活动",
                                                                   start=date(2022, 3, 18)))])
    services.submit_report(personas["reporter"], first, reporter_name="王芳",
                           reporter_phone="13800001234")
    second = services.current_report(demo, unit)
    services.save_round(personas["reporter"], second, [(None, ActivityRow(name="草稿活动",
                                                                    start=date(2022, 3, 25)))])
    secrets = {f"region:{p}": make_token(personas[p]) for p in REGION_CREATORS}
    secrets |= {f"unit:{c}": make_token(personas["region_admin"], units[c])
                for c in UNIT_TOKENS}
    second.refresh_from_db()
    activity = second.activities.get()
    return {"campaign": demo, "first": first, "second": second, "activity": activity,
            "secrets": secrets}


def _stale(w) -> int:
    """A revision one behind: an allowed writer reaches the version check (409) and
    nothing changes; a refused one is stopped before (403/404)."""
    return Report.objects.get(pk=w["second"].pk).revision - 1


def _round(w, rest=""):
    return (f"/api/v1/campaigns/{w['campaign'].pk}/units/150100/rounds/"
            f"{w['second'].deadline_id}{rest}")


# (method, schema path, url builder, json builder, who gets a 2xx, who gets 409, marker):
# `marker` is text only those in `sees` find in a list route's answer.
ROUTES = [
    ("get", "/api/v1/campaigns", lambda w: "/api/v1/campaigns", None, EVERYONE, CAMPAIGN,
     "2022年社会工作主题宣传活动"),
    ("get", "/api/v1/campaigns/{campaign_id}",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}", None, CAMPAIGN, CAMPAIGN, None),
    ("get", "/api/v1/campaigns/{campaign_id}/deadlines",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/deadlines", None, CAMPAIGN, CAMPAIGN,
     None),
    ("get", "/api/v1/units", lambda w: "/api/v1/units", None, EVERYONE, VIEWERS, '"150100"'),
    ("get", "/api/v1/campaigns/{campaign_id}/statuses",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/statuses", None, CAMPAIGN, VIEWERS,
     '"150100"'),
    ("get", "/api/v1/campaigns/{campaign_id}/activities",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/activities", None, CAMPAIGN, VIEWERS,
     "已报送活动"),
    ("get", "/api/v1/campaigns/{campaign_id}/summaries",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/summaries", None, CAMPAIGN, CAMPAIGN,
     None),
    ("get", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds",
     lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/units/150100/rounds", None, VIEWERS,
     VIEWERS, None),
    ("get", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}",
     lambda w: _round(w), None, VIEWERS, VIEWERS, "草稿活动"),
    ("post", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}/activities",
     lambda w: _round(w, "/activities"), lambda w: {"revision": _stale(w), "activity": GOOD},
     set(), WRITERS, None),
    ("put", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}/activities",
     lambda w: _round(w, "/activities"),
     lambda w: {"revision": _stale(w), "activities": [GOOD]}, set(), WRITERS, None),
    ("put", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}/activities/"
     "{activity_id}", lambda w: _round(w, f"/activities/{w['activity'].pk}"),
     lambda w: {"revision": _stale(w), "activity": GOOD}, set(), WRITERS, None),
    ("delete", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}/activities/"
     "{activity_id}", lambda w: _round(w, f"/activities/{w['activity'].pk}?revision="
                                          f"{_stale(w)}"), None, set(), WRITERS, None),
    ("post", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}/submit",
     lambda w: _round(w, "/submit"),
     lambda w: {"revision": _stale(w), "reporter_name": "王芳",
                "reporter_phone": "13800001234"}, set(), WRITERS, None),
]
PUBLIC_ROUTES = {("get", "/api/v1/news/briefs"), ("get", "/api/v1/news/briefs/{brief_id}")}
BRIEF_ROUTE = ("post", "/api/v1/campaigns/{campaign_id}/units/{code}/briefs")


def test_every_route_is_walked():
    schema = api.get_openapi_schema()
    routes = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    walked = {(method, path) for method, path, *_rest in ROUTES}
    assert routes == walked | PUBLIC_ROUTES | {BRIEF_ROUTE}


def _call(api_client, method, url, secret, body):
    return api_client(method, url, secret, json=body) if body is not None \
        else api_client(method, url, secret)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_route_for_every_principal(route, world, api_client):
    method, _path, url, body, ok, conflict_or_seen, marker = route
    for principal in PRINCIPALS:
        secret = world["secrets"][principal]
        response = _call(api_client, method, url(world), secret,
                         body(world) if body else None)
        text = response.content.decode()
        if method == "get":
            if principal in ok:
                assert response.status_code == 200, (principal, url(world), text[:200])
                if marker:
                    seen = marker in response.json().__repr__() or marker in text
                    assert seen == (principal in conflict_or_seen), (principal, marker)
            else:
                assert response.status_code in {403, 404}, (principal, response.status_code)
        elif principal in conflict_or_seen:
            # Allowed: the permission layer let it through to the version check.
            assert response.status_code == 409, (principal, url(world), text[:300])
            assert "revision" in response.json()["errors"], principal
        else:
            assert response.status_code in {403, 404}, (principal, response.status_code, text)
        assert "13800001234" not in text or principal in VIEWERS, principal
    # Nothing any principal sent changed the round.
    assert Report.objects.get(pk=world["second"].pk).revision == world["second"].revision


def test_anonymous_and_unknown_tokens_get_401_on_every_route(world, api_client):
    for method, _path, url, body, *_rest in ROUTES:
        for secret in (None, "cdk_no-such-token", "Basic abc"):
            response = _call(api_client, method, url(world), secret,
                             body(world) if body else None)
            assert response.status_code == 401, (method, url(world), secret)
            assert response["WWW-Authenticate"] == "Bearer"
            assert "令牌" in response.json()["detail"]


def test_brief_upload_for_every_principal(world, api_client):
    from campaigndesk.articles.models import Article

    url = f"/api/v1/campaigns/{world['campaign'].pk}/units/150100/briefs"
    for principal in PRINCIPALS:
        before = Article.objects.count()
        response = api_client("post", url, world["secrets"][principal],
                              data={"title": f"稿件 {principal}", "body": "正文"})
        if principal in WRITERS:
            assert response.status_code == 201, (principal, response.content.decode())
            assert Article.objects.count() == before + 1
        else:
            assert response.status_code in {403, 404}, (principal, response.status_code)
            assert Article.objects.count() == before, principal


def test_a_token_without_the_scope_is_refused_before_anything(world, api_client, personas,
                                                              units):
    read_only = make_token(personas["region_admin"], units["150100"], scopes=["read"])
    write_only = make_token(personas["region_admin"], units["150100"],
                            scopes=["write-progress"])
    for method, _path, url, body, *_rest in ROUTES:
        payload = body(world) if body else None
        if method == "get":
            assert _call(api_client, method, url(world), read_only, payload).status_code == 200
            refused = _call(api_client, method, url(world), write_only, payload)
            if _path.endswith("/rounds/{deadline_id}"):
                # A round and its revision are read for writing it: write-progress may.
                assert refused.status_code == 200, url(world)
                continue
        else:
            refused = _call(api_client, method, url(world), read_only, payload)
        assert refused.status_code == 403, (method, url(world))
        assert "权限" in refused.json()["detail"]
    response = api_client("post", f"/api/v1/campaigns/{world['campaign'].pk}/units/150100/"
                          "briefs", write_only, data={"title": "稿件", "body": "正文"})
    assert response.status_code == 403 and "上传宣传稿件" in response.json()["detail"]


def test_a_deactivated_unit_or_creator_loses_its_tokens(world, api_client, personas, units):
    from campaigndesk.units.models import Unit, User

    url = f"/api/v1/campaigns/{world['campaign'].pk}/units/150100/rounds"
    Unit.objects.filter(code="150100").update(is_active=False)
    assert api_client("get", url, world["secrets"]["unit:150100"]).status_code in {403, 404}
    Unit.objects.filter(code="150100").update(is_active=True)
    User.objects.filter(pk=personas["reviewer"].pk).update(is_active=False)
    assert api_client("get", url, world["secrets"]["region:reviewer"]).status_code in {403, 404}
