"""Writing through the API with a unit's token: the grid's checks and save, the web's
optimistic revision, submission, briefs with photos; every write audited with the token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigndesk.articles.models import Article
from campaigndesk.audit.models import AuditEntry
from campaigndesk.progress import reported
from campaigndesk.progress.models import Activity, Report
from tests.articles.conftest import BODY, TITLE, jpeg

from .conftest import make_token

GOOD = {"name": "社工宣传进社区", "organizations": ["赛罕区社工站", "青禾社工服务中心"],
        "participants": 12, "start_date": "3月18日", "location": "昭乌达路社区",
        "content": "发放宣传册，讲解社会工作知识", "service_areas": ["老年人", "残疾人"],
        "beneficiaries": "150", "funds_yuan": "1,200.50", "remarks": "无"}


@pytest.fixture
def round_url(demo):
    first = demo.deadlines.filter(kind="progress").order_by("due_at").first()
    return f"/api/v1/campaigns/{demo.pk}/units/150100/rounds/{first.pk}"


def _revision(api_client, url, secret) -> int:
    return api_client("get", url, secret).json()["revision"]


def test_create_update_delete_as_the_grid(demo, unit_secret, api_client, round_url,
                                          personas, client):
    rev = _revision(api_client, round_url, unit_secret)
    made = api_client("post", round_url + "/activities", unit_secret,
                      json={"revision": rev, "activity": GOOD})
    assert made.status_code == 200, made.content.decode()
    body = made.json()
    assert body["created"] == 1 and body["revision"] == rev + 1
    row = body["activities"][0]
    assert row["start_date"] == "2022-03-18" and row["funds_fen"] == 120050
    assert row["service_areas"] == ["老年人", "残疾人"]
    # The grid shows it: the same working row.
    client.force_login(personas["reporter"])
    grid = client.get(reverse("campaign_unit_progress",
                              kwargs={"campaign_pk": demo.pk, "code": "150100"}))
    assert "社工宣传进社区" in grid.content.decode()

    changed = api_client("put", f"{round_url}/activities/{row['id']}", unit_secret,
                         json={"revision": rev + 1,
                               "activity": GOOD | {"name": "改名的活动", "participants": "20"}})
    assert changed.status_code == 200 and changed.json()["updated"] == 1
    assert Activity.objects.live().get().participants == 20
    second = api_client("post", round_url + "/activities", unit_secret,
                        json={"revision": rev + 2, "activity": GOOD | {"name": "第二个"}})
    assert len(second.json()["activities"]) == 2
    gone = api_client("delete", f"{round_url}/activities/{row['id']}?revision={rev + 3}",
                      unit_secret)
    assert gone.status_code == 200 and gone.json()["deleted"] == 1
    assert [a["name"] for a in gone.json()["activities"]] == ["第二个"]
    # Drafts count nowhere.
    assert reported.reported(demo).count() == 0
    assert api_client("get", f"/api/v1/campaigns/{demo.pk}/activities",
                      unit_secret).json()["count"] == 0


def test_errors_by_field_in_chinese_and_nothing_saved(demo, unit_secret, api_client,
                                                      round_url):
    rev = _revision(api_client, round_url, unit_secret)
    bad = GOOD | {"participants": "很多", "start_date": "2022-13-40", "funds_yuan": "-5"}
    answer = api_client("put", round_url + "/activities", unit_secret,
                        json={"revision": rev, "activities": [GOOD, bad]})
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "很多" in errors["activities[1].participants"][0]
    assert "13月" in errors["activities[1].start_date"][0]
    assert "activities[1].funds_yuan" in errors
    assert not any(key.startswith("activities[0]") for key in errors)
    assert Activity.objects.count() == 0
    assert _revision(api_client, round_url, unit_secret) == rev
    typed = api_client("post", round_url + "/activities", unit_secret,
                       json={"revision": rev, "activity": {"name": ["不是文字"]}})
    assert typed.status_code == 422 and typed.json()["errors"] == {"activity.name": ["应为文字"]}
    nul = api_client("post", round_url + "/activities", unit_secret,
                     json={"revision": rev, "activity": GOOD | {"name": "坏\x00字"}})
    assert nul.status_code == 400 and "NUL" in nul.json()["detail"]
    assert Activity.objects.count() == 0


def test_missing_or_stale_revision_is_409(demo, unit_secret, api_client, round_url):
    missing = api_client("post", round_url + "/activities", unit_secret,
                         json={"activity": GOOD})
    assert missing.status_code == 409 and "revision" in missing.json()["detail"]
    rev = _revision(api_client, round_url, unit_secret)
    api_client("post", round_url + "/activities", unit_secret,
               json={"revision": rev, "activity": GOOD})
    stale = api_client("post", round_url + "/activities", unit_secret,
                       json={"revision": rev, "activity": GOOD | {"name": "后来的"}})
    assert stale.status_code == 409 and stale.json()["errors"] == {"revision": [str(rev + 1)]}
    assert "已被修改（当前 revision 为" in stale.json()["detail"]
    assert "仍保留" not in stale.json()["detail"]  # the web form's sentence, not a program's
    assert Activity.objects.count() == 1
    submit = api_client("post", round_url + "/submit", unit_secret,
                        json={"revision": rev, "reporter_name": "王芳",
                              "reporter_phone": "13800001234"})
    assert submit.status_code == 409
    assert Report.objects.get().status == "draft"


def test_one_activity_is_named_as_sent_and_a_boolean_is_no_count(demo, unit_secret,
                                                                 api_client, round_url):
    # Errors of a single POST named activities[5].name (its place in the whole round), and
    # "beneficiaries": true was stored as 1.
    rev = _revision(api_client, round_url, unit_secret)
    api_client("post", round_url + "/activities", unit_secret,
               json={"revision": rev, "activity": GOOD})
    bad = api_client("post", round_url + "/activities", unit_secret,
                     json={"revision": rev + 1, "activity": GOOD | {"participants": "很多"}})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["activity.participants"]
    flag = api_client("post", round_url + "/activities", unit_secret,
                      json={"revision": rev + 1, "activity": GOOD | {"beneficiaries": True}})
    assert flag.status_code == 422
    assert flag.json()["errors"] == {"activity.beneficiaries": ["应为数字（不是 true/false）"]}
    assert Activity.objects.count() == 1


def test_a_write_progress_token_reads_the_revision_it_must_send(demo, personas, units,
                                                                api_client, round_url):
    from campaigndesk.api.models import Scope

    writer = make_token(personas["region_admin"], units["150100"],
                        scopes=[Scope.WRITE_PROGRESS], name="只写令牌")
    rev = _revision(api_client, round_url, writer)
    made = api_client("post", round_url + "/activities", writer,
                      json={"revision": rev, "activity": GOOD})
    assert made.status_code == 200
    assert api_client("get", f"/api/v1/campaigns/{demo.pk}/activities",
                      writer).status_code == 403  # other reads still need the read scope


def test_submit_a_round_and_it_counts(demo, unit_secret, api_client, round_url):
    rev = _revision(api_client, round_url, unit_secret)
    api_client("post", round_url + "/activities", unit_secret,
               json={"revision": rev, "activity": GOOD})
    wrong = api_client("post", round_url + "/submit", unit_secret,
                       json={"revision": rev + 1, "reporter_name": "", "reporter_phone": "123"})
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"reporter_name", "reporter_phone"}
    sent = api_client("post", round_url + "/submit", unit_secret,
                      json={"revision": rev + 1, "reporter_name": "王芳",
                            "reporter_phone": "138 0000 1234"})
    assert sent.status_code == 200 and sent.json()["version"] == 1
    assert sent.json()["status"] == "submitted" and sent.json()["editable"] is False
    figures = api_client("get", f"/api/v1/campaigns/{demo.pk}/activities", unit_secret).json()
    assert figures["count"] == 1 and figures["totals"]["funds_fen"] == 120050
    locked = api_client("post", round_url + "/activities", unit_secret,
                        json={"revision": rev + 2, "activity": GOOD})
    assert locked.status_code == 409 and "已报送" in locked.json()["detail"]
    entry = AuditEntry.objects.filter(action="progress.submit").get()
    assert entry.changes["via_api"] == "呼市台账系统" and "呼市台账系统" in entry.message


def test_every_write_is_audited_with_the_token(demo, unit_secret, api_client, round_url):
    rev = _revision(api_client, round_url, unit_secret)
    api_client("post", round_url + "/activities", unit_secret,
               json={"revision": rev, "activity": GOOD})
    api_client("post", f"/api/v1/campaigns/{demo.pk}/units/150100/briefs", unit_secret,
               data={"title": TITLE, "body": BODY,
                     "photos": [SimpleUploadedFile("a.jpg", jpeg(shapes=1), "image/jpeg")]})
    entries = AuditEntry.objects.filter(action__in=["progress.save", "article.create",
                                                    "article.photo_add"])
    assert entries.count() == 3
    for entry in entries:
        assert entry.changes["via_api"] == "呼市台账系统", entry.action
        assert "API令牌“呼市台账系统”" in entry.message


def test_a_brief_draft_with_photos(demo, unit_secret, api_client):
    url = f"/api/v1/campaigns/{demo.pk}/units/150100/briefs"
    made = api_client("post", url, unit_secret, data={
        "title": TITLE, "body": BODY, "captions": ["现场一", "现场二"],
        "photos": [SimpleUploadedFile("a.jpg", jpeg(shapes=1), "image/jpeg"),
                   SimpleUploadedFile("b.jpg", jpeg(shapes=7), "image/jpeg")]})
    assert made.status_code == 201, made.content.decode()
    article = Article.objects.get(pk=made.json()["id"])
    assert article.state == "draft" and article.unit.code == "150100"
    assert [p.caption for p in article.photos.order_by("position")] == ["现场一", "现场二"]
    assert article.time_text  # proofread like the web: the four elements prefilled


def test_a_bad_photo_saves_nothing(demo, unit_secret, api_client):
    url = f"/api/v1/campaigns/{demo.pk}/units/150100/briefs"
    refused = api_client("post", url, unit_secret, data={
        "title": TITLE, "body": BODY,
        "photos": [SimpleUploadedFile("a.jpg", jpeg(shapes=1), "image/jpeg"),
                   SimpleUploadedFile("假照片.jpg", b"not a picture at all", "image/jpeg")]})
    assert refused.status_code == 400
    assert "假照片.jpg" in refused.json()["detail"]
    assert Article.objects.count() == 0
    no_title = api_client("post", url, unit_secret, data={"title": "", "body": BODY})
    assert no_title.status_code == 400 and "title" in no_title.json()["errors"]
    assert Article.objects.count() == 0


def test_a_closed_campaign_refuses_writes(demo, unit_secret, api_client, round_url, personas):
    from campaigndesk.campaigns.services import close_campaign

    rev = _revision(api_client, round_url, unit_secret)
    close_campaign(personas["region_admin"], demo, "活动结束")
    refused = api_client("post", round_url + "/activities", unit_secret,
                         json={"revision": rev, "activity": GOOD})
    assert refused.status_code == 409 and "已关闭" in refused.json()["detail"]
    brief = api_client("post", f"/api/v1/campaigns/{demo.pk}/units/150100/briefs",
                       unit_secret, data={"title": TITLE, "body": BODY})
    assert brief.status_code == 409
    assert Activity.objects.count() == 0 and Article.objects.count() == 0


def test_a_region_reviewer_token_reads_but_never_writes(demo, personas, api_client,
                                                        round_url):
    secret = make_token(personas["reviewer"])
    assert api_client("get", round_url, secret).status_code == 200
    refused = api_client("post", round_url + "/activities", secret,
                         json={"revision": 0, "activity": GOOD})
    assert refused.status_code == 403


def test_a_date_outside_the_campaign_is_saved_with_a_warning(demo, unit_secret, api_client,
                                                             round_url):
    rev = _revision(api_client, round_url, unit_secret)
    made = api_client("post", round_url + "/activities", unit_secret,
                      json={"revision": rev, "activity": GOOD | {"start_date": "2026-12-01"}})
    assert made.status_code == 200
    assert any("不在本次活动期" in w for w in made.json()["warnings"]), made.json()["warnings"]


def test_rows_the_grid_kept_with_errors_stay_and_block_the_submission(
        demo, unit_secret, api_client, round_url, personas, client):
    """A row saved as typed in the grid (issue 15) is no activity: the API neither lists
    nor removes it, and the round cannot be submitted while it is wrong."""
    from campaigndesk.progress.models import TypedRow
    from tests.test_progress_web import GOOD as TYPED
    from tests.test_progress_web import grid_post

    client.force_login(personas["reporter"])
    bad = list(TYPED)
    bad[2] = "十二人"
    client.post(reverse("campaign_unit_progress",
                        kwargs={"campaign_pk": demo.pk, "code": "150100"}), grid_post([bad]))
    rev = _revision(api_client, round_url, unit_secret)
    made = api_client("post", round_url + "/activities", unit_secret,
                      json={"revision": rev, "activity": GOOD})
    assert made.status_code == 200 and len(made.json()["activities"]) == 1
    assert TypedRow.objects.get().texts["participants"] == "十二人"
    refused = api_client("post", round_url + "/submit", unit_secret,
                         json={"revision": rev + 1, "reporter_name": "王芳",
                               "reporter_phone": "13800001234"})
    assert refused.status_code == 400
    assert "本轮还有 1 行有错误" in refused.json()["errors"]["rows"][0]
    assert Report.objects.get().status == "draft"
