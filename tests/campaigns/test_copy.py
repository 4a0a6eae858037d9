"""Copying a campaign: the year is asked (default: the next one), the page shows what will be
copied, and only the confirmation creates it, in one transaction with one audit entry."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign, DeadlineKind
from campaigndesk.campaigns.services import (
    DeadlineData,
    copy_campaign,
    create_campaign,
    plan_copy,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_the_plan_is_next_year_with_whole_years_shifted_and_creates_nothing(demo):
    before = Campaign.objects.count()
    plan = plan_copy(demo)
    assert plan.fields["year"] == 2023 and plan.fields["title"] == "2023年社会工作主题宣传活动"
    assert (plan.fields["start_date"], plan.fields["end_date"]) == (date(2023, 3, 17),
                                                                    date(2023, 3, 31))
    assert [(old.title, local(old.due_at), local(new.due_at)) for old, new in plan.moves] == [
        ("第一次工作进展报送", "2022-03-24 17:00", "2023-03-24 17:00"),
        ("第二次工作进展报送", "2022-03-31 17:00", "2023-03-31 17:00"),
        ("活动总结报送", "2022-04-05 23:59", "2023-04-05 23:59"),
    ]
    assert len(plan.participants) == 14 and plan.fields["document_number"] == ""
    assert [c.email for c in plan.contacts] == ["mz6946872@163.com"]
    assert plan.problems == []
    assert Campaign.objects.count() == before


def test_copy_keeps_its_keyword_arguments_and_writes_one_audit_entry(demo, personas):
    new = copy_campaign(personas["region_admin"], demo, year=2023)
    assert new.title == "2023年社会工作主题宣传活动" and new.year == 2023
    entries = AuditEntry.objects.filter(object_id=str(new.pk), action__startswith="campaign.")
    assert [e.action for e in entries] == ["campaign.copy"]
    assert "复制自“2022年社会工作主题宣传活动”" in entries[0].message
    assert entries[0].changes["participants"][1]  # what the new campaign holds is logged
    # Without a year the copy is for the year after the source.
    later = copy_campaign(personas["region_admin"], new)
    assert later.year == 2024 and later.title == "2024年社会工作主题宣传活动"


def test_the_same_title_in_the_same_year_is_refused(demo, personas):
    copy_campaign(personas["region_admin"], demo, year=2023)
    assert plan_copy(demo, year=2023).problems == [
        "已有2023年度的“2023年社会工作主题宣传活动”，请换一个活动名称或年度"]
    with pytest.raises(ValidationError):
        copy_campaign(personas["region_admin"], demo, year=2023)
    assert Campaign.objects.filter(year=2023).count() == 1
    other = copy_campaign(personas["region_admin"], demo, year=2023, title="2023年下半年宣传活动")
    assert other.title == "2023年下半年宣传活动"


def test_29_february_becomes_28_february(demo, personas):
    leap = create_campaign(personas["region_admin"], fields={
        "year": 2024, "title": "2024年闰年活动", "slogan": "主题", "start_date": date(2024, 2, 29),
        "end_date": date(2024, 3, 10)}, participants=[], vocabulary={}, contacts=[],
        deadlines=[DeadlineData(DeadlineKind.PROGRESS, "报送",
                                datetime(2024, 2, 29, 17, tzinfo=SHANGHAI))])
    new = copy_campaign(personas["region_admin"], leap, year=2025)
    assert new.start_date == date(2025, 2, 28)
    assert local(new.deadlines.get().due_at) == "2025-02-28 17:00"


def test_the_copy_page_shows_the_preview_and_creates_nothing(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    entries = AuditEntry.objects.count()
    url = reverse("campaign_copy", kwargs={"pk": demo.pk})
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="year" value="2023"' in text
    assert "将新建：2023年社会工作主题宣传活动" in text
    assert "2022-03-31 17:00" in text and "2023-03-31 17:00" in text
    assert "参加单位（14 个）" in text and "满洲里市" in text and "张璐" in text
    assert "社会工作基本知识、政策法规、发展成果" in text  # the focus topics
    other_year = client.get(url, {"year": "2025", "title": ""}).content.decode()
    assert "将新建：2025年社会工作主题宣传活动" in other_year and "2025-03-31 17:00" in other_year
    assert Campaign.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_confirming_creates_it_and_opens_it_for_editing(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    url = reverse("campaign_copy", kwargs={"pk": demo.pk})
    response = client.post(url, {"year": "2023", "title": ""})
    new = Campaign.objects.get(year=2023)
    assert response["Location"] == reverse("campaign_edit", kwargs={"pk": new.pk})
    # The same again: the page names the clash and creates nothing.
    again = client.post(url, {"year": "2023", "title": ""})
    assert again.status_code == 400
    assert "已有2023年度的“2023年社会工作主题宣传活动”" in again.content.decode()
    assert Campaign.objects.filter(year=2023).count() == 1


@pytest.mark.parametrize("year", ["去年", "1999", "2101", ""])
def test_a_wrong_year_is_named_and_nothing_is_created(demo, personas, as_user, year):
    client = as_user(personas["region_admin"])
    url = reverse("campaign_copy", kwargs={"pk": demo.pk})
    preview = client.get(url, {"year": year}).content.decode()
    assert "请填写正确的年度（2000—2100）" in preview and 'id="copy-preview"' not in preview
    response = client.post(url, {"year": year})
    assert response.status_code == 400
    assert "请填写正确的年度（2000—2100）" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_only_administrators_copy(demo, personas, as_user):
    url = reverse("campaign_copy", kwargs={"pk": demo.pk})
    for persona in ("reviewer", "reporter"):
        client = as_user(personas[persona])
        assert client.get(url).status_code == 403
        assert client.post(url, {"year": "2023"}).status_code == 403
    assert Campaign.objects.count() == 1


def test_a_copy_of_the_live_demo_does_not_say_its_dates_were_moved(demo, personas):
    from campaigndesk.campaigns.services import default_title

    demo.title = f"{demo.year}年社会工作主题宣传活动（演示：日期已平移到今天）"
    assert default_title(demo, demo.year + 1) == f"{demo.year + 1}年社会工作主题宣传活动"
