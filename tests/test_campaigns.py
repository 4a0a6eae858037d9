from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign, DeadlineKind, VocabularyKind
from campaigndesk.campaigns.services import copy_campaign
from campaigndesk.units.models import Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_demo_campaign_is_the_2022_notice(demo):
    assert demo.slogan == "五社联动聚合力 社工服务暖基层"
    assert (demo.start_date, demo.end_date) == (date(2022, 3, 17), date(2022, 3, 31))
    assert demo.document_number == "内民政慈社〔2022〕3号"
    due = [(d.kind, timezone.localtime(d.due_at).strftime("%Y-%m-%d %H:%M"))
           for d in demo.deadlines.all()]
    assert due[:2] == [(DeadlineKind.PROGRESS, "2022-03-24 17:00"),
                       (DeadlineKind.PROGRESS, "2022-03-31 17:00")]
    assert due[2][0] == DeadlineKind.SUMMARY and due[2][1].startswith("2022-04-05")
    assert len(demo.vocabulary(VocabularyKind.FOCUS_TOPIC)) == 7
    assert len(demo.vocabulary(VocabularyKind.ACTIVITY_TYPE)) == 6
    areas = demo.vocabulary(VocabularyKind.SERVICE_AREA)
    assert [a.label for a in areas] == [
        "老年人", "残疾人", "妇女", "儿童青少年", "困难群体", "其他"]
    assert [a.allows_text for a in areas] == [False] * 5 + [True]
    assert [i.label for i in demo.vocabulary(VocabularyKind.FIVE_SOCIAL)] == [
        "社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"]
    contact = demo.contacts.get()
    assert (contact.name, contact.phone, contact.email) == (
        "张璐", "0471-6946872", "mz6946872@163.com")
    assert demo.participants.count() == 14
    assert "各盟市民政局" in demo.notice_text


def campaign_post(participants, **overrides):
    data = {
        "year": "2023", "title": "2023年社会工作主题宣传活动", "document_number": "",
        "slogan": "社会工作 共建共享", "start_date": "2023-03-15", "end_date": "2023-03-31",
        "notice_text": "通知正文", "min_photos": "2", "brief_length": "500",
        "brief_min_length": "350", "brief_max_length": "700",
        "participants": [u.pk for u in participants],
        "focus_topics": "社会工作基本知识\n优秀社会工作者感人事迹",
        "activity_types": "积极联动各类媒体资源",
        "service_areas": "老年人\n儿童青少年\n其他（请注明）",
        "five_social": "社区\n社会组织",
        "deadlines-TOTAL_FORMS": "2", "deadlines-INITIAL_FORMS": "0",
        "deadlines-MIN_NUM_FORMS": "1", "deadlines-MAX_NUM_FORMS": "1000",
        "deadlines-0-kind": "progress", "deadlines-0-title": "第一次工作进展报送",
        "deadlines-0-due_at": "2023-03-23T17:00",
        "deadlines-1-kind": "", "deadlines-1-title": "", "deadlines-1-due_at": "",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "李明", "contacts-0-office": "慈善社工处",
        "contacts-0-phone": "0471-6946872", "contacts-0-email": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_campaign_from_the_web(personas, as_user):
    client = as_user(personas["region_admin"])
    form = client.get("/campaigns/new/").content.decode()
    assert "社会工作基本知识、政策法规、发展成果" in form  # the notice's lists are offered
    participants = Unit.objects.reporting()
    response = client.post("/campaigns/new/", campaign_post(participants))
    assert response.status_code == 302, response.content.decode()
    campaign = Campaign.objects.get(year=2023)
    deadline = campaign.deadlines.get()
    assert deadline.due_at == datetime(2023, 3, 23, 17, tzinfo=SHANGHAI)
    assert campaign.participants.count() == 14
    other = campaign.vocabulary(VocabularyKind.SERVICE_AREA)[-1]
    assert other.label == "其他（请注明）" and other.allows_text
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_end_before_start_is_refused_naming_the_field(personas, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/campaigns/new/", campaign_post(Unit.objects.reporting(),
                                                            end_date="2023-03-01"))
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Campaign.objects.filter(year=2023).exists()


def test_campaign_needs_a_deadline(personas, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/campaigns/new/", campaign_post(
        Unit.objects.reporting(), **{"deadlines-0-kind": "", "deadlines-0-title": "",
                                     "deadlines-0-due_at": ""}))
    assert response.status_code == 200
    assert not Campaign.objects.filter(year=2023).exists()


def test_edit_keeps_unchanged_deadlines_and_records_the_change(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    page = client.get(f"/campaigns/{demo.pk}/edit/")
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["participants"] = [u.pk for u in demo.participants.all()]
    data["slogan"] = "五社联动聚合力 社工服务暖基层（修订）"
    data["start_date"], data["end_date"] = "2022-03-17", "2022-03-31"
    deadlines = page.context["deadlines"]
    contacts = page.context["contacts"]
    for prefix, formset in (("deadlines", deadlines), ("contacts", contacts)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                if name == "DELETE":
                    continue
                value = f.initial.get(name, "")
                if hasattr(value, "strftime"):
                    value = value.strftime("%Y-%m-%dT%H:%M")
                data[f"{prefix}-{i}-{name}"] = value
    response = client.post(f"/campaigns/{demo.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    demo.refresh_from_db()
    assert demo.slogan.endswith("（修订）")
    assert demo.deadlines.count() == 3
    assert demo.contacts.get().name == "张璐"
    entry = AuditEntry.objects.get(action="campaign.update")
    assert list(entry.changes) == ["slogan"]


def test_copy_last_years_campaign(demo, personas):
    new = copy_campaign(personas["region_admin"], demo, year=2023)
    assert new.title == "2023年社会工作主题宣传活动"
    assert (new.start_date, new.end_date) == (date(2023, 3, 17), date(2023, 3, 31))
    first = new.deadlines.first()
    assert timezone.localtime(first.due_at).strftime("%Y-%m-%d %H:%M") == "2023-03-24 17:00"
    assert new.participants.count() == 14
    assert new.vocabulary_items.count() == demo.vocabulary_items.count()
    assert new.contacts.get().email == "mz6946872@163.com"


def test_copy_from_the_web_opens_the_new_campaign_for_editing(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    response = client.post(f"/campaigns/{demo.pk}/copy/", {"year": "2024"})
    new = Campaign.objects.get(year=2024)
    assert response["Location"] == f"/campaigns/{new.pk}/edit/"
    bad = client.post(f"/campaigns/{demo.pk}/copy/", {"year": "去年"}, follow=True)
    assert "请填写正确的年度" in bad.content.decode()
