"""The walk on the web: after 2022 was copied into 2023, every page opened from 2022 stays
in 2022 (its links, its forms, the top bar), the 2022 draft can still be sent late, and
once 2022 is closed its pages are read-only and say so."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigndesk.articles import services as articles
from campaigndesk.articles.models import Article
from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import close_campaign
from campaigndesk.progress.models import Report, ReportStatus
from tests.progress.builders import messy_table
from tests.test_progress_web import GOOD, grid_post

from .conftest import campaigns_linked

CLOSED = "本次活动已结束（已关闭），不能再修改"


@pytest.fixture
def reporter(personas, as_user):
    return as_user(personas["reporter"])


def in_campaign(name: str, campaign, code: str = "150100") -> str:
    return reverse(name, kwargs={"campaign_pk": campaign.pk, "code": code})


@time_machine.travel(datetime(2022, 4, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_home_lists_the_open_campaigns_most_urgent_first(walk, reporter):
    page = reporter.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    # 2022 still owes round 2 (overdue since 2022): before 2023, whose deadlines came later.
    assert text.index("2022年社会工作主题宣传活动</a></h2>") < text.index(
        "2023年社会工作主题宣传活动</a></h2>")
    assert "逾期未报：第二次工作进展报送" in text
    assert f'href="{in_campaign("campaign_unit_progress", walk.old)}"' in text
    assert f'href="{in_campaign("campaign_unit_progress", walk.new)}"' in text


def test_region_home_lists_both_and_closed_ones_apart(walk, personas, as_user):
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    text = as_user(personas["reviewer"]).get("/").content.decode()
    open_part, closed_part = text.split('id="closed-campaigns"')
    assert "2023年社会工作主题宣传活动" in open_part
    assert "2022年社会工作主题宣传活动</a>" not in open_part.split('id="open-campaigns"')[1]
    assert "2022年社会工作主题宣传活动" in closed_part and "已关闭" in closed_part


def test_every_page_opened_from_2022_stays_in_2022(walk, reporter):
    pages = [
        in_campaign("campaign_unit_home", walk.old),
        in_campaign("campaign_unit_progress", walk.old),
        in_campaign("campaign_unit_articles", walk.old),
        in_campaign("campaign_article_create", walk.old),
        in_campaign("unit_summary", walk.old),
        reverse("report_detail", kwargs={"pk": walk.first.pk}),
        reverse("campaign_dashboard", kwargs={"pk": walk.old.pk}),
    ]
    for url in pages:
        response = reporter.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert campaigns_linked(text) == {walk.old.pk}, url
        # The top bar: 宣传稿件 of 2022, and 2022 marked in the switcher.
        assert f'id="nav-articles" href="{in_campaign("campaign_unit_articles", walk.old)}"' \
            in text, url
        assert (f'href="{in_campaign("campaign_unit_home", walk.old)}" aria-current="true"'
                in text), url
        assert f'href="{in_campaign("campaign_unit_home", walk.new)}">' in text, url
    grid = reporter.get(in_campaign("campaign_unit_progress", walk.old)).content.decode()
    assert "第二次工作进展报送" in grid and "第二轮草稿活动" in grid


def test_the_2022_draft_is_sent_late_from_its_own_grid(walk, reporter):
    activity = walk.second.activities.live().get()
    data = grid_post([["第二轮草稿活动"] + GOOD[1:]], action="submit",
                     reporter_name="王芳", reporter_phone="13800001234",
                     revision=str(Report.objects.get(pk=walk.second.pk).revision))
    data["r-0-id"] = str(activity.pk)
    response = reporter.post(in_campaign("campaign_unit_progress", walk.old), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("report_detail",
                                                     kwargs={"pk": walk.second.pk})
    assert "已报送第二次工作进展报送，第1版（逾期报送）" in response.content.decode()
    report = Report.objects.get(pk=walk.second.pk)
    assert report.status == ReportStatus.SUBMITTED and report.versions.get().is_late
    assert not Report.objects.filter(deadline__campaign=walk.new).exists()


def test_a_brief_written_from_2022_belongs_to_2022(walk, reporter):
    response = reporter.post(in_campaign("campaign_article_create", walk.old),
                             {"title": "补报的稿件", "body": "正文"})
    assert response.status_code == 302
    assert Article.objects.get(title="补报的稿件").campaign == walk.old
    listing = reporter.get(in_campaign("campaign_unit_articles", walk.new)).content.decode()
    assert "补报的稿件" not in listing  # the 2023 list has only 2023's briefs


@time_machine.travel(datetime(2022, 4, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_old_addresses_go_to_the_most_urgent_open_campaign_and_save_nothing(walk, reporter,
                                                                           personas):
    for old, name in (("/units/150100/", "campaign_unit_home"),
                      ("/units/150100/progress/", "campaign_unit_progress"),
                      ("/units/150100/articles/", "campaign_unit_articles"),
                      ("/units/150100/articles/new/", "campaign_article_create")):
        assert reporter.get(old)["Location"] == in_campaign(name, walk.old), old
    assert reporter.get("/articles/")["Location"] == in_campaign("campaign_unit_articles",
                                                                 walk.old)
    before = AuditEntry.objects.count()
    assert reporter.post("/units/150100/progress/", grid_post([GOOD])).status_code == 405
    assert reporter.post("/units/150100/articles/new/", {"title": "t"}).status_code == 405
    assert AuditEntry.objects.count() == before
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    assert reporter.get("/units/150100/progress/")["Location"] == in_campaign(
        "campaign_unit_progress", walk.new)


def test_a_closed_campaign_shows_its_pages_read_only(walk, reporter, personas, as_user):
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    grid_url = in_campaign("campaign_unit_progress", walk.old)
    grid = reporter.get(grid_url).content.decode()
    assert 'id="closed-banner"' in grid and "已关闭" in grid
    for button in ('value="save"', 'value="submit"', "上传并预览", 'id="add-row"'):
        assert button not in grid, button
    assert "readonly" in grid and "第二轮草稿活动" in grid
    # Nobody can fill it any more: it is not 填报中 but never sent.
    assert "未报送（活动已关闭）" in grid and "填报中" not in grid
    response = reporter.post(grid_url, grid_post([GOOD], action="submit"), follow=True)
    assert CLOSED in response.content.decode()
    assert Report.objects.get(pk=walk.second.pk).status == ReportStatus.DRAFT
    home = reporter.get(in_campaign("campaign_unit_home", walk.old)).content.decode()
    assert "查看工作进展情况统计表" in home and "还需报送" not in home
    briefs = reporter.get(in_campaign("campaign_unit_articles", walk.old)).content.decode()
    assert "写新稿件" not in briefs and "从 Word 文档导入" not in briefs
    assert reporter.get(in_campaign("campaign_article_create", walk.old)).status_code == 302
    summary_url = in_campaign("unit_summary", walk.old)
    assert 'id="summary-form"' not in reporter.get(summary_url).content.decode()
    sent = reporter.post(summary_url, {"text": "总结"}, follow=True).content.decode()
    assert CLOSED in sent
    upload = reporter.post(in_campaign("campaign_progress_import", walk.old),
                           {"file": _upload()}, follow=True).content.decode()
    assert CLOSED in upload
    admin = as_user(personas["region_admin"])
    overview = admin.get(reverse("campaign_overview", kwargs={"pk": walk.old.pk}))
    assert 'id="reopen-form"' in overview.content.decode()
    assert "修改活动设置" not in overview.content.decode()
    assert admin.get(reverse("campaign_edit", kwargs={"pk": walk.old.pk})).status_code == 302
    # The 2023 copy is as writable as before.
    assert 'value="save"' in reporter.get(in_campaign("campaign_unit_progress", walk.new)
                                          ).content.decode()


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("进展.xlsx", messy_table())


def test_a_form_opened_before_the_close_gets_the_reason_not_an_error(walk, personas, reporter):
    brief = articles.create_article(personas["reporter"], campaign=walk.old, unit=walk.unit,
                                    title="待删除", body="正文")
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    url = reverse("article_delete", kwargs={"pk": brief.pk})
    edit = "http://testserver" + reverse("article_edit", kwargs={"pk": brief.pk})
    back = reporter.post(url, {"reason": "重复"}, headers={"Referer": edit})
    assert back.status_code == 302 and back["Location"] == edit
    assert CLOSED in reporter.get(back["Location"], follow=True).content.decode()
    bare = reporter.post(url, {"reason": "重复"})
    assert bare.status_code == 409 and CLOSED in bare.content.decode()
    htmx = reporter.post(url, {"reason": "重复"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 409 and htmx.content.decode() == CLOSED
    elsewhere = reporter.post(url, {"reason": "重复"}, headers={"Referer": "https://evil.example/"})
    assert elsewhere.status_code == 409
    assert Article.objects.get(pk=brief.pk).deleted_at is None


def test_close_and_reopen_from_the_overview(walk, personas, as_user):
    url = reverse("campaign_close", kwargs={"pk": walk.old.pk})
    assert as_user(personas["reviewer"]).post(url, {"reason": "x"}).status_code == 403
    admin = as_user(personas["region_admin"])
    overview = admin.get(reverse("campaign_overview", kwargs={"pk": walk.old.pk})).content.decode()
    assert "<title>2022年社会工作主题宣传活动 · Campaign Desk</title>" in overview
    assert overview.count('id="close-form"') == 1 and 'id="reopen-form"' not in overview
    assert admin.get(url).status_code == 405
    empty = admin.post(url, {"reason": ""}, follow=True)
    assert "请填写原因" in empty.content.decode()
    assert not Campaign.objects.get(pk=walk.old.pk).is_closed
    done = admin.post(url, {"reason": "活动已结束，材料已归档"}, follow=True)
    assert "已关闭“2022年社会工作主题宣传活动”" in done.content.decode()
    assert Campaign.objects.get(pk=walk.old.pk).is_closed
    reopen = reverse("campaign_reopen", kwargs={"pk": walk.old.pk})
    admin.post(reopen, {"reason": "补报"})
    assert not Campaign.objects.get(pk=walk.old.pk).is_closed


def test_the_import_command_asks_which_campaign_when_several_are_open(walk, tmp_path):
    table = tmp_path / "进展.xlsx"
    table.write_bytes(messy_table())
    with pytest.raises(CommandError) as caught:
        call_command("import_progress", str(table), "--unit", "150100", "--dry-run")
    assert "参加了多个进行中的活动，请用 --campaign 指定" in str(caught.value)
    assert f"{walk.old.pk} 2022年社会工作主题宣传活动" in str(caught.value)


def test_a_table_previewed_in_2022_is_imported_into_2022_only(walk, reporter):
    from campaigndesk.progress.models import Activity
    from tests.test_progress_web import activity, xlsx_of

    preview = reporter.post(in_campaign("campaign_progress_import", walk.old),
                            {"file": xlsx_of([activity("补报的甲"), activity("补报的乙")])})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert campaigns_linked(text) == {walk.old.pk}
    token = preview.context["pending"].token
    elsewhere = reporter.post(in_campaign("campaign_progress_import_confirm", walk.new),
                              {"token": token}, follow=True)
    assert "导入已过期或已完成" in elsewhere.content.decode()
    assert not Activity.objects.filter(campaign=walk.new).exists()
    done = reporter.post(in_campaign("campaign_progress_import_confirm", walk.old),
                         {"token": token, "revisions": preview.context["revisions"]})
    assert done["Location"] == in_campaign("campaign_unit_progress", walk.old)
    assert set(Activity.objects.filter(campaign=walk.old, report=walk.second)
               .values_list("name", flat=True)) == {"第二轮草稿活动", "补报的甲", "补报的乙"}


def test_a_report_sent_back_shows_as_being_corrected_until_it_is_sent_again(
        walk, reporter, personas):
    from django.test import Client

    from campaigndesk.progress import services as progress

    admin = Client()  # as_user would sign the reporter's client in as the administrator
    admin.force_login(personas["region_admin"])
    overview_url = reverse("campaign_overview", kwargs={"pk": walk.old.pk})
    row_of = lambda page: page.split("呼和浩特市")[1].split("</tr>")[0]  # noqa: E731
    assert "按时报送" in row_of(admin.get(overview_url).content.decode()) or \
        "逾期报送" in row_of(admin.get(overview_url).content.decode())
    progress.reopen_report(personas["region_admin"], walk.first, reason="数字有误")
    row = row_of(admin.get(overview_url).content.decode())
    assert "退回修改中" in row and "按时报送" not in row and "逾期报送" not in row
    home = reporter.get(in_campaign("campaign_unit_home", walk.old)).content.decode()
    assert "退回修改中" in home
    assert "已被退回修改，请在统计表中改正后重新报送" in home
    # The unit is told why, with a link to the round to correct.
    notices = reporter.get(reverse("notices")).content.decode()
    assert "第一次工作进展报送已被退回修改：数字有误" in notices
    opened = reporter.get(re.search(r'href="(/notices/\d+/)"', notices).group(1))
    assert opened["Location"].endswith(f"?round={walk.first.pk}")
    progress.submit_report(personas["reporter"], Report.objects.get(pk=walk.first.pk),
                           reporter_name="王芳", reporter_phone="13800001234")
    row = row_of(admin.get(overview_url).content.decode())
    assert "退回修改中" not in row and ("按时报送" in row or "逾期报送" in row)


def test_a_close_reason_too_long_is_refused_with_what_is_wrong(walk, personas, as_user):
    admin = as_user(personas["region_admin"])
    url = reverse("campaign_close", kwargs={"pk": walk.old.pk})
    page = admin.post(url, {"reason": "活动结束" * 60}, follow=True).content.decode()
    assert "原因最多 200 字，现有 240 字" in page and "请填写原因" not in page
    assert not Campaign.objects.get(pk=walk.old.pk).is_closed


def test_the_landing_page_of_a_reporter_of_several_campaigns_lists_returned_briefs(
        walk, reporter, personas):
    """With two campaigns the reporter lands on the list, not on a unit page: what waits for
    them (briefs sent back, with the reason) must be there too."""
    Campaign.objects.filter(pk=walk.old.pk).update(min_photos=0)  # photos are not the point
    brief = articles.create_article(personas["reporter"], campaign=walk.old, unit=walk.unit,
                                    title="社区敬老活动简讯", body="正文" * 200,
                                    time_text="3月18日", place_text="新城区",
                                    recipients_text="老年人", participants_text="社工")
    articles.submit_article(personas["reporter"], brief, justification="测试")
    articles.return_article(personas["reviewer"], Article.objects.get(pk=brief.pk),
                            reason="请补充服务人数")
    home = reporter.get("/")
    assert home.status_code == 200 and 'id="open-campaigns"' in home.content.decode()
    text = home.content.decode()
    todo = text[text.index('id="todo"'):text.index('id="open-campaigns"')]
    assert "社区敬老活动简讯" in todo and "请补充服务人数" in todo
    assert walk.old.title in todo  # which campaign it belongs to
