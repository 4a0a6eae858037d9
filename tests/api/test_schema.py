"""The published schema and its docs, a client generated from the schema fuzzing every
route (schemathesis), and an external script that knows nothing but the schema."""

import re

import httpx
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable

from campaigndesk.progress import reported, services
from campaigndesk.progress.table import ActivityRow

from .conftest import make_token


def test_schema_is_openapi_3_with_bearer_tokens(db, client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "/api/v1/campaigns/{campaign_id}/activities" in schema["paths"]
    public = schema["paths"]["/api/v1/news/briefs"]["get"]
    assert "security" not in public or public["security"] == [{}] or not public["security"]


def test_docs_are_served_without_any_other_host(db, client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "cdn" not in page.lower()
    assert "https://" not in response["Content-Security-Policy"]
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source


@pytest.fixture
def fuzz_world(demo, units, personas, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    # The WSGI handler closes the connection at each request's start and end; inside the
    # test's transaction that is a connection in the wrong autocommit state, so PostgreSQL
    # drops it (and the test's data with it). Django's own test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    first = services.current_report(demo, units["150100"])
    row = ActivityRow(name="已有活动", start=first.deadline.due_at.date(), participants=3)
    services.save_round(personas["reporter"], first, [(None, row)])
    first.refresh_from_db()
    yield {"campaign_id": demo.pk, "code": "150100", "deadline_id": first.deadline_id,
           "activity_id": first.activities.get().pk, "brief_id": 1,
           "secret": make_token(personas["region_admin"], units["150100"])}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, mode, path_parameters, headers, examples):
    problems = []

    @hypothesis_settings(max_examples=examples, deadline=None, database=None,
                         derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters,
                                      headers=headers))
    def check(case):
        response = case.call(headers=headers)
        if response.status_code >= 500:
            problems.append(f"{case.method} {case.formatted_path} {case.query} "
                            f"{str(case.body)[:80]} → {response.status_code} "
                            f"{response.text[:200]}")

    try:
        check()
    except Unsatisfiable:
        # Negative mode on an operation without parameters or body: nothing to make invalid.
        assert mode == schemathesis.GenerationMode.NEGATIVE, operation.path
    return problems


def test_fuzzing_every_route_finds_no_500(fuzz_world):
    """Every operation of the schema, with valid and invalid input, with the path of real
    objects and with generated paths, as 呼和浩特市's token with every scope."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    headers = {"Authorization": f"Bearer {fuzz_world['secret']}"}
    problems, walked = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        walked.add((operation.method.lower(), operation.path))
        names = {p.name for p in operation.path_parameters}
        real = {name: fuzz_world[name] for name in names}
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            problems += _run(operation, mode, real, headers, 12)
            if names:
                problems += _run(operation, mode, None, headers, 6)
    from campaigndesk.api.api import api

    published = api.get_openapi_schema()["paths"]
    assert walked == {(m, p) for p, ops in published.items() for m in ops}
    assert not problems, "\n".join(problems[:20])


@pytest.fixture
def site(live_server, settings, personas):
    """The live server with the demo (personas loads it), and two tokens."""
    from campaigndesk.units.models import Unit

    settings.DEMO_MODE = True
    region = make_token(personas["region_admin"], scopes=["read"], name="厅统计平台")
    bureau = make_token(personas["region_admin"], Unit.objects.get(code="150100"),
                        scopes=["read", "write-progress"], name="呼市台账系统")
    return live_server.url, region, bureau


def test_an_external_script_using_only_the_schema(site):
    """What a provincial platform and a bureau's own system would write: read the schema,
    find the operations by their paths, read the region's figures, submit a round."""
    base, region, bureau = site
    with httpx.Client(base_url=base, timeout=30) as http:
        schema = http.get("/api/v1/schema/").json()
        paths = schema["paths"]

        def call(method, template, token, json=None, **params):
            assert method in paths[template], (method, template)
            path_params = {k: v for k, v in params.items() if "{" + k + "}" in template}
            query = {k: v for k, v in params.items() if k not in path_params}
            response = http.request(method.upper(), template.format(**path_params),
                                    params=query, json=json,
                                    headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 300, response.text
            return response.json()

        campaigns = call("get", "/api/v1/campaigns", region)
        campaign = next(c for c in campaigns if c["year"] == 2022)
        before = call("get", "/api/v1/campaigns/{campaign_id}/activities", region,
                      campaign_id=campaign["id"])["totals"]
        rounds = call("get", "/api/v1/campaigns/{campaign_id}/units/{code}/rounds", bureau,
                      campaign_id=campaign["id"], code="150100")
        target = next(r for r in rounds if r["editable"])
        round_path = "/api/v1/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}"
        ids = {"campaign_id": campaign["id"], "code": "150100",
               "deadline_id": target["deadline_id"]}
        current = call("get", round_path, bureau, **ids)
        rows = [{"name": "台账导出的活动一", "participants": 40, "start_date": "2022-03-18",
                 "service_areas": ["老年人"], "beneficiaries": 80, "funds_yuan": "500"},
                {"name": "台账导出的活动二", "participants": 15, "start_date": "2022-03-19",
                 "end_date": "2022-03-20", "service_areas": ["儿童青少年"]}]
        saved = call("put", round_path + "/activities", bureau,
                     json={"revision": current["revision"], "activities": rows}, **ids)
        sent = call("post", round_path + "/submit", bureau,
                    json={"revision": saved["revision"], "reporter_name": "王芳",
                          "reporter_phone": "13800001234"}, **ids)
        assert sent["status"] == "submitted" and sent["version"] == 1
        after = call("get", "/api/v1/campaigns/{campaign_id}/activities", region,
                     campaign_id=campaign["id"])["totals"]
    assert after["activities"] == before["activities"] + 2
    assert after["participants"] == before["participants"] + 55
    assert after["funds_fen"] == before["funds_fen"] + 50000
    from campaigndesk.campaigns.models import Campaign

    db_totals = reported.totals(reported.reported(Campaign.objects.get(pk=campaign["id"])))
    assert db_totals.activities == after["activities"]


def test_errors_met_before_the_api_are_json_in_chinese_too(db, client, settings):
    # A NUL in the query (refused by the request checks), a body over the size limit, and
    # a method a route does not have came back as HTML pages or English text.
    nul = client.get("/api/v1/news/briefs", {"q": "\x00"})
    assert nul.status_code == 400 and nul["Content-Type"].startswith("application/json")
    assert "NUL" in nul.json()["detail"]
    settings.REQUEST_MAX_BYTES = 1000
    big = client.post("/api/v1/news/briefs", data=b"x" * 5000,
                      content_type="application/octet-stream")
    assert big.status_code == 413 and big["Content-Type"].startswith("application/json")
    assert big.json()["detail"]
    settings.REQUEST_MAX_BYTES = 10_000_000
    wrong = client.delete("/api/v1/news/briefs")
    assert wrong.status_code == 405 and "GET" in wrong["Allow"]
    assert wrong.json()["detail"].startswith("此地址不支持 DELETE 请求")
