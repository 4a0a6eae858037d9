"""Reading through the API: the same figures as the pages (progress.reported), drafts
never among them; filters, pages and totals; statuses; summaries; public briefs."""

from datetime import date

import pytest

from campaigndesk.oversight import summaries
from campaigndesk.progress import reported, services
from campaigndesk.progress.table import ActivityRow

from .conftest import make_token


def _row(name, day, participants=10, funds=0):
    return ActivityRow(name=name, start=date(2022, 3, day), participants=participants,
                       beneficiaries=participants * 2, funds_fen=funds)


@pytest.fixture
def figures(demo, units, personas, settings, tmp_path):
    """150100: round 1 sent (2 activities), then reopened and being corrected (a draft
    row added, not sent); 150200: round 1 only drafted; 150781: round 1 sent late."""
    settings.DATA_DIR = tmp_path
    reporter = personas["reporter"]
    first = services.current_report(demo, units["150100"])
    services.save_round(reporter, first, [(None, _row("社区宣传", 18, 12, 120050)),
                                          (None, _row("广场咨询", 20, 30))])
    services.submit_report(reporter, first, reporter_name="王芳", reporter_phone="13800001234")
    services.reopen_report(personas["region_admin"], first, reason="请更正")
    services.save_round(reporter, first, [(None, _row("社区宣传", 18, 12, 120050)),
                                          (None, _row("广场咨询", 20, 30)),
                                          (None, _row("未报送的草稿", 21, 999))])
    draft = services.current_report(demo, units["150200"])
    services.save_round(personas["other_reporter"], draft, [(None, _row("包头草稿", 19, 500))])
    late = services.current_report(demo, units["150781"])
    services.save_round(personas["manzhouli"], late, [(None, _row("满洲里活动", 22, 7))])
    services.submit_report(personas["manzhouli"], late, reporter_name="李明",
                           reporter_phone="13900001234")
    summaries.submit_summary(reporter, summaries.summary_deadlines(demo)[0], units["150100"],
                             text="本单位活动总结")
    return {"campaign": demo, "first": first}


def test_region_figures_are_the_reported_ones(figures, personas, api_client):
    campaign = figures["campaign"]
    secret = make_token(personas["region_admin"], scopes=["read"])
    page = api_client("get", f"/api/v1/campaigns/{campaign.pk}/activities", secret).json()
    expected = reported.totals(reported.reported(campaign))
    assert page["count"] == 3 == expected.activities
    assert page["totals"]["participants"] == expected.participants == 12 + 30 + 7
    assert page["totals"]["funds_fen"] == 120050 and page["totals"]["funds_yuan"] == "1200.50"
    names = {row["name"] for row in page["results"]}
    assert names == {"社区宣传", "广场咨询", "满洲里活动"}  # no draft, anywhere
    assert reported.campaign_figures(campaign)[1].activities == page["count"]


def test_filters_pages_and_totals(figures, personas, api_client):
    campaign = figures["campaign"]
    base = f"/api/v1/campaigns/{campaign.pk}/activities"
    secret = make_token(personas["region_admin"], scopes=["read"])

    def get(query):
        return api_client("get", f"{base}?{query}", secret).json()

    only = get("unit=150100&subtree=false")
    assert only["count"] == 2 and {r["unit"] for r in only["results"]} == {"150100"}
    # 满洲里市 reports to the region, not to 呼伦贝尔市: not in its subtree.
    assert get("unit=150700")["count"] == 0
    assert get("date_from=2022-03-20&date_to=2022-03-21")["count"] == 1
    deadline = figures["first"].deadline_id
    assert get(f"deadline_id={deadline}")["count"] == 3
    first_page = get("page_size=2&page=1")
    second_page = get("page_size=2&page=2")
    assert len(first_page["results"]) == 2 and len(second_page["results"]) == 1
    assert first_page["totals"] == second_page["totals"]  # totals of the whole filter
    assert first_page["totals"]["activities"] == 3
    refused = api_client("get", f"{base}?page=0", secret)
    assert refused.status_code == 422 and refused.json()["errors"] == {"page": ["不能小于 1"]}


def test_a_unit_token_reads_its_own_part_only(figures, personas, units, api_client):
    campaign = figures["campaign"]
    own = make_token(personas["region_admin"], units["150100"], scopes=["read"])
    other = make_token(personas["region_admin"], units["150200"], scopes=["read"])
    base = f"/api/v1/campaigns/{campaign.pk}"
    mine = api_client("get", f"{base}/activities", own).json()
    assert {r["unit"] for r in mine["results"]} == {"150100"} and mine["count"] == 2
    theirs = api_client("get", f"{base}/activities", other).json()
    assert theirs["count"] == 0  # 包头市 only drafted
    assert api_client("get", f"{base}/activities?unit=150100", other).status_code == 404
    statuses = api_client("get", f"{base}/statuses", other).json()
    assert [s["unit"] for s in statuses] == ["150200"]


def test_statuses_rounds_and_summaries(figures, personas, api_client):
    campaign = figures["campaign"]
    secret = make_token(personas["reviewer"], scopes=["read"])
    base = f"/api/v1/campaigns/{campaign.pk}"
    statuses = {s["unit"]: s["statuses"][0] for s in
                api_client("get", f"{base}/statuses", secret).json()}
    assert statuses["150100"]["state"] == "reopened" and statuses["150100"]["label"] == "退回修改中"
    assert statuses["150781"]["state"] == "late"
    assert statuses["150200"]["state"] == "missing"
    rounds = api_client("get", f"{base}/units/150100/rounds", secret).json()
    assert rounds[0]["status"] == "reopened" and rounds[0]["editable"] is True
    assert rounds[0]["versions"] == 1
    found = api_client("get", f"{base}/summaries", secret).json()
    assert [(s["unit"], s["versions"], s["text_length"]) for s in found] == [("150100", 1, 7)]
    detail = api_client("get", f"{base}", secret).json()
    assert detail["title"] == campaign.title
    assert [d["id"] for d in detail["deadlines"]] == list(
        campaign.deadlines.order_by("due_at").values_list("pk", flat=True))


def test_published_briefs_are_public_with_their_photos(demo, units, api_client, client):
    from tests.articles.matrix import brief
    from tests.security.matrix import draft_brief

    f = {"campaign": demo, "units": units}
    published, draft = brief(f), draft_brief(f)
    listing = api_client("get", "/api/v1/news/briefs")
    assert listing.status_code == 200
    ids = [b["id"] for b in listing.json()["results"]]
    assert ids == [published.pk] and draft.pk not in ids
    one = api_client("get", f"/api/v1/news/briefs/{published.pk}").json()
    assert one["title"] == published.title and len(one["photos"]) == 2
    photo = client.get(one["photos"][0]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert api_client("get", f"/api/v1/news/briefs/{draft.pk}").status_code == 404
    assert api_client("get", "/api/v1/news/briefs?unit=150200").json()["count"] == 0
