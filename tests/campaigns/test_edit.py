"""The campaign edit form (修改活动设置) saves its lists in place (issue 11, tester's bugs).

Every test starts from the walk (tests/campaigns/conftest.py): 呼和浩特市 has submitted round
1 with an activity tagged 老年人 and keeps a draft activity tagged 老年人 in round 2. The form
is read from the page and sent back as a browser sends it (tests.formpost).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign, Deadline, VocabularyItem, VocabularyKind
from campaigndesk.campaigns.services import update_campaign
from campaigndesk.progress.models import Activity, ReportedActivity
from tests.formpost import form_submission, submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def classification(campaign) -> dict:
    """Every list item (pk, kind, label) and every tag link of the working and reported rows."""
    items = sorted(VocabularyItem.objects.filter(campaign=campaign)
                   .values_list("pk", "kind", "label"))
    working = sorted(Activity.tags.through.objects.filter(activity__campaign=campaign)
                     .values_list("activity_id", "vocabularyitem_id"))
    reported = sorted(ReportedActivity.tags.through.objects
                      .filter(reportedactivity__campaign=campaign)
                      .values_list("reportedactivity_id", "vocabularyitem_id"))
    return {"items": items, "working": working, "reported": reported}


def areas(campaign) -> list[str]:
    return [i.label for i in Campaign.objects.get(pk=campaign.pk).vocabulary(
        VocabularyKind.SERVICE_AREA)]


@pytest.fixture
def edit(walk, personas, client):
    """The edit page of 2022 as the region administrator sees it, ready to be sent."""
    client.force_login(personas["region_admin"])
    url = reverse("campaign_edit", kwargs={"pk": walk.old.pk})
    submission = form_submission(client.get(url).content, f"http://testserver{url}",
                                 button="保存")

    def send():
        return submit(client, submission)

    submission.send = send
    return submission


def test_saving_unchanged_keeps_every_item_and_every_tag_link(walk, edit):
    before = classification(walk.old)
    assert before["working"] and before["reported"]  # something to lose

    assert edit.send().status_code == 302

    assert classification(walk.old) == before
    assert not AuditEntry.objects.filter(action="campaign.update").exists()


def test_renaming_a_line_in_place_keeps_the_item_and_its_activities(walk, edit):
    elder = VocabularyItem.objects.get(campaign=walk.old, label="老年人")
    edit.replace("service_areas", edit.value("service_areas").replace("老年人", "老年群体"))

    assert edit.send().status_code == 302

    elder.refresh_from_db()
    assert elder.label == "老年群体"
    assert set(elder.activities.values_list("name", flat=True)) == {"第一轮活动", "第二轮草稿活动"}
    assert elder.reported_activities.get().name == "第一轮活动"
    entry = AuditEntry.objects.get(action="campaign.update")
    assert entry.message == "服务领域“老年人”改为“老年群体”"
    assert "老年群体" in entry.changes["vocabulary"][1]["service_area"]


def test_removing_a_line_in_use_is_refused_naming_it(walk, edit):
    before = classification(walk.old)
    edit.replace("service_areas", edit.value("service_areas").replace("老年人\r\n", ""))
    edit.replace("slogan", "改过的主题")

    response = edit.send()

    assert response.status_code == 200
    # Two activities: the submitted one (working row and reported row count once) and the draft.
    assert ("服务领域“老年人”已被 2 条活动使用，不能删除；如需改名请直接修改文字"
            in response.content.decode())
    assert classification(walk.old) == before
    assert Campaign.objects.get(pk=walk.old.pk).slogan != "改过的主题"  # nothing half-saved


def test_unused_lines_are_removed_added_and_moved_keeping_the_others(walk, edit):
    before = {label: pk for pk, _kind, label in classification(walk.old)["items"]}
    lines = edit.value("service_areas").split("\r\n")
    lines.remove("妇女")
    edit.replace("service_areas", "\r\n".join(["退役军人", *lines, "社区居民"]))

    assert edit.send().status_code == 302

    assert areas(walk.old) == ["退役军人", "老年人", "残疾人", "儿童青少年", "困难群体", "其他",
                               "社区居民"]
    after = {label: pk for pk, _kind, label in classification(walk.old)["items"]}
    assert "妇女" not in after
    assert {k: after[k] for k in before if k != "妇女"} == {
        k: v for k, v in before.items() if k != "妇女"}


def test_renaming_a_deadline_with_submissions_keeps_it(walk, edit):
    first = walk.first.deadline
    assert edit.value("deadlines-0-title") == "第一次工作进展报送"
    edit.replace("deadlines-0-title", "第一轮工作进展报送")
    edit.replace("deadlines-0-due_at", "2022-03-25T12:00")

    assert edit.send().status_code == 302

    deadlines = list(Deadline.objects.filter(campaign=walk.old))
    assert len(deadlines) == 3
    first.refresh_from_db()
    assert first.title == "第一轮工作进展报送"
    assert first.due_at == datetime(2022, 3, 25, 12, tzinfo=SHANGHAI)
    assert first.submissions.get().unit == walk.unit
    assert first.reports.get() == walk.first


def test_a_deadline_with_data_cannot_be_deleted_nor_change_kind(walk, edit):
    edit.data.append(("deadlines-0-DELETE", "on"))
    response = edit.send()
    assert response.status_code == 200
    assert ("报送节点“第一次工作进展报送”已有 1 个单位的报送或草稿，不能删除"
            in response.content.decode())
    assert "已保存" not in response.content.decode()

    edit.data.remove(("deadlines-0-DELETE", "on"))
    edit.replace("deadlines-1-kind", "summary")
    response = edit.send()
    assert response.status_code == 200
    assert ("报送节点“第二次工作进展报送”已有 1 个单位的报送或草稿，不能修改类别"
            in response.content.decode())
    assert Deadline.objects.filter(campaign=walk.old).count() == 3
    assert walk.second.deadline.kind == Deadline.objects.get(pk=walk.second.deadline.pk).kind


def test_a_deadline_without_data_can_be_deleted(walk, edit):
    assert edit.value("deadlines-2-title") == "活动总结报送"
    edit.data.append(("deadlines-2-DELETE", "on"))

    assert edit.send().status_code == 302

    assert [d.title for d in Deadline.objects.filter(campaign=walk.old)] == [
        "第一次工作进展报送", "第二次工作进展报送"]


def test_a_deadline_id_of_another_campaign_is_refused(walk, edit):
    other = walk.new.deadlines.first()
    edit.replace("deadlines-2-id", str(other.pk))
    edit.replace("deadlines-2-title", "被改走的节点")

    response = edit.send()

    assert response.status_code == 200
    assert "报送节点已被他人修改或删除，请刷新页面后重新填写" in response.content.decode()
    assert Deadline.objects.get(pk=other.pk).title != "被改走的节点"


WINDOW = "应在 2021-01-01 至 2023-12-31 之间（活动年度前后一年内）"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", "0", "年度应在 2000—2100 之间"),
    ("year", "99999", "年度应在 2000—2100 之间"),
    ("year", "99999999999", "年度应在 2000—2100 之间"),
    ("min_photos", "99999999999", "每篇稿件至少照片数应在 0—20 之间"),
    ("min_photos", "-1", "每篇稿件至少照片数应在 0—20 之间"),
    ("start_date", "0001-01-01", "开始日期" + WINDOW),
    ("end_date", "2099-03-31", "结束日期" + WINDOW),
    ("deadlines-0-due_at", "9999-12-31T23:59", "截止时间" + WINDOW),
    ("deadlines-0-due_at", "2022-03-01T17:00", "截止时间不能早于活动开始日期（2022-03-17）"),
])
def test_out_of_range_values_are_refused_naming_the_field(walk, edit, field, value, message):
    before = Campaign.objects.get(pk=walk.old.pk)
    edit.replace(field, value)

    response = edit.send()

    assert response.status_code == 200
    assert message in response.content.decode()
    after = Campaign.objects.get(pk=walk.old.pk)
    assert (after.year, after.min_photos, after.start_date, after.version) == (
        before.year, before.min_photos, before.start_date, before.version)
    assert Deadline.objects.get(pk=walk.first.deadline.pk).due_at == walk.first.deadline.due_at


def test_the_new_campaign_form_checks_the_year_too(personas, as_user):
    from campaigndesk.units.models import Unit
    from tests.test_campaigns import campaign_post

    client = as_user(personas["region_admin"])
    response = client.post("/campaigns/new/", campaign_post(Unit.objects.reporting(), year="0"))
    assert response.status_code == 200
    assert "年度应在 2000—2100 之间" in response.content.decode()
    assert not Campaign.objects.filter(title="2023年社会工作主题宣传活动").exists()


def test_the_service_refuses_out_of_range_values_from_any_caller(walk, personas):
    with pytest.raises(ValidationError) as caught:
        update_campaign(personas["region_admin"], walk.old,
                        fields={"year": 99999, "start_date": date(1, 1, 1)}, participants=[],
                        vocabulary={}, contacts=[], deadlines=[])
    assert caught.value.messages == ["年度应在 2000—2100 之间"]
    assert Campaign.objects.get(pk=walk.old.pk).year == 2022


@pytest.mark.parametrize("odd", [
    {"year": 9999},  # (PostgreSQL's smallint column would not take 99999)
    {"start_date": date(1, 1, 1)},
    {"min_photos": 9999},
    "deadline 9999-12-31",
])
def test_the_copy_page_never_fails_on_odd_saved_data(demo, personas, as_user, odd):
    """Data saved before the forms checked it: the copy page says what to fix instead of 500."""
    if odd == "deadline 9999-12-31":
        demo.deadlines.filter(title="活动总结报送").update(
            due_at=datetime(9999, 12, 31, 23, 59, tzinfo=SHANGHAI))
    else:
        Campaign.objects.filter(pk=demo.pk).update(**odd)
    client = as_user(personas["region_admin"])
    url = reverse("campaign_copy", kwargs={"pk": demo.pk})

    page = client.get(url)
    assert page.status_code == 200
    assert 'id="copy-problems"' in page.content.decode()
    for year in ("2023", "2024"):
        assert client.get(url, {"year": year}).status_code == 200
        response = client.post(url, {"year": year})
        assert response.status_code == 400
        assert 'id="copy-problems"' in response.content.decode()
    assert Campaign.objects.count() == 1
