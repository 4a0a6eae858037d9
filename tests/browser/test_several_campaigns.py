"""Issue 11 point 2, walked in the browser: 呼和浩特市 keeps a draft in round 2 of 2022; the
department copies 2022 (a preview first, the year defaults to 2023); the reporter's home
lists both; everything opened from 2022 stays in 2022 and the draft goes in late; then the
department closes 2022 and the reporter can only read it. On the office screen and on a
phone, where the campaign switcher of the top bar must work too."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OLD, NEW = "2022年社会工作主题宣传活动", "2023年社会工作主题宣传活动"


def round_two_draft():
    """Round 1 of 2022 sent on time by 呼和浩特市, round 2 saved as a draft."""
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.progress import services
    from campaigndesk.units.models import Unit, User
    from tests.test_progress_services import row

    campaign = Campaign.objects.get(year=2022)
    unit, reporter = Unit.objects.get(code="150100"), User.objects.get(username="150100")
    first = services.current_report(campaign, unit)
    services.save_round(reporter, first, [(None, row("第一轮活动"))])
    services.submit_report(reporter, first, reporter_name="王芳", reporter_phone="13800001234",
                           now=first.deadline.due_at)
    second = services.current_report(campaign, unit)
    services.save_round(reporter, second, [(None, row("第二轮草稿活动"))])
    return campaign, second


def in_campaign(site, campaign_pk: int, rest: str = "") -> re.Pattern:
    return re.compile(rf"^{re.escape(site.url)}/campaigns/{campaign_pk}/units/150100/{rest}$")


# Two days after 2022's last round: the department copies the campaign for next year while
# 2022's round 2 is freshly overdue (a round missed long ago would rank after current work).
@time_machine.travel(datetime(2022, 4, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_copy_switch_late_report_and_close(demo_site, browser_context_for, screenshot):
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.progress.models import Report, ReportStatus

    old, draft = round_two_draft()
    admin = browser_context_for()
    reporter = browser_context_for()

    # The department copies 2022: the page asks the year (2023) and shows what is copied.
    log_in(admin, demo_site, "region-admin")
    admin.goto(f"{demo_site.url}/campaigns/")
    admin.get_by_role("row").filter(has_text=OLD).get_by_role(
        "link", name="复制为新年度活动").click()
    expect(admin.get_by_label("新活动年度")).to_have_value("2023")
    preview = admin.locator("#copy-preview")
    expect(preview).to_contain_text(f"将新建：{NEW}")
    expect(preview.locator("#copy-deadlines")).to_contain_text("2023-03-31 17:00")
    expect(preview).to_contain_text("参加单位（14 个）")
    assert Campaign.objects.count() == 1  # the preview created nothing
    screenshot(admin, "copy-preview")
    admin.get_by_role("button", name="确认复制为2023年度活动").click()
    expect(admin.locator(".messages")).to_contain_text(f"已复制为“{NEW}”")
    new = Campaign.objects.get(year=2023)

    # The reporter's home lists both, 2022 first: its round 2 is overdue and unsent.
    log_in(reporter, demo_site, "150100")
    expect(reporter).to_have_url(f"{demo_site.url}/")
    cards = reporter.locator("#open-campaigns .campaign-card h2")
    expect(cards).to_have_text([OLD, NEW])
    expect(reporter.locator("#open-campaigns .campaign-card").first).to_contain_text(
        "逾期未报：第二次工作进展报送")
    screenshot(reporter, "home-two-campaigns")

    # Opened from 2022, the unit page, the grid, the briefs and 写新稿件 stay in 2022.
    cards.first.get_by_role("link").click()
    expect(reporter).to_have_url(in_campaign(demo_site, old.pk))
    expect(reporter.locator("#campaign-switcher summary")).to_have_text(OLD)
    reporter.locator("#open-grid").click()
    expect(reporter).to_have_url(in_campaign(demo_site, old.pk, "progress/"))
    expect(reporter.locator(".card h2").first).to_contain_text("第二次工作进展报送")
    expect(reporter.locator('input[name="r-0-name"]')).to_have_value("第二轮草稿活动")
    screenshot(reporter, "grid-2022-round-2")
    reporter.locator("#nav-articles").click()
    expect(reporter).to_have_url(in_campaign(demo_site, old.pk, "articles/"))
    reporter.get_by_role("link", name="写新稿件").click()
    expect(reporter).to_have_url(in_campaign(demo_site, old.pk, "articles/new/"))
    expect(reporter.locator(".subtitle")).to_contain_text(OLD)

    # The 2022 draft goes in late, from its own grid.
    reporter.goto(f"{demo_site.url}/campaigns/{old.pk}/units/150100/progress/")
    reporter.get_by_label("填报人").fill("王芳")
    reporter.get_by_label("手机号码").fill("13800001234")
    reporter.get_by_role("button", name="保存并报送").click()
    expect(reporter.locator(".messages")).to_contain_text("已报送第二次工作进展报送，第1版（逾期报送）")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.versions.get().is_late
    assert not Report.objects.filter(deadline__campaign=new).exists()

    # The switcher goes to 2023 and marks it.
    reporter.locator("#campaign-switcher summary").click()
    switcher = reporter.locator("#campaign-switcher ul")
    expect(switcher.locator("a.current")).to_have_text(OLD)
    screenshot(reporter, "switcher-open")
    switcher.get_by_role("link", name=NEW).click()
    expect(reporter).to_have_url(in_campaign(demo_site, new.pk))
    expect(reporter.locator("#campaign-switcher summary")).to_have_text(NEW)

    # The department closes 2022; the reporter can read it, not change it.
    admin.goto(f"{demo_site.url}/campaigns/{old.pk}/")
    expect(admin).to_have_title(f"{OLD} · Campaign Desk")
    admin.locator("#close-form").scroll_into_view_if_needed()
    screenshot(admin, "overview-close-form")
    admin.get_by_role("button", name="关闭活动").click()
    expect(admin.locator(".messages")).to_contain_text(f"已关闭“{OLD}”")
    expect(admin.locator("#reopen-form")).to_be_visible()
    reporter.goto(f"{demo_site.url}/campaigns/{old.pk}/units/150100/progress/")
    expect(reporter.locator("#closed-banner")).to_contain_text("已关闭")
    expect(reporter.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(reporter.get_by_role("button", name="保存并报送")).to_have_count(0)
    summary = f"{demo_site.url}/campaigns/{old.pk}/units/150100/summary/"
    reporter.goto(summary)
    expect(reporter.locator("#summary-form")).to_have_count(0)
    screenshot(reporter, "closed-campaign")
    reporter.goto(f"{demo_site.url}/")
    expect(reporter.locator("#closed-campaigns")).to_contain_text(OLD)

    # On a phone: the switcher is in the top bar's 菜单; it opens and switches.
    reporter.set_viewport_size(PHONE)
    reporter.goto(f"{demo_site.url}/campaigns/{new.pk}/units/150100/")
    screenshot(reporter, "phone-unit-page", full_page=True)
    reporter.get_by_role("button", name="菜单").click()
    summary_bar = reporter.locator("#campaign-switcher summary")
    box = summary_bar.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    summary_bar.click()
    menu = reporter.locator("#campaign-switcher ul")
    expect(menu).to_be_visible()
    menu_box = menu.bounding_box()
    assert menu_box["x"] >= 0 and menu_box["x"] + menu_box["width"] <= PHONE["width"]
    screenshot(reporter, "phone-switcher-open")
    menu.get_by_role("link", name=re.compile(OLD)).click()
    expect(reporter).to_have_url(in_campaign(demo_site, old.pk))
    expect(reporter.locator("#closed-banner")).to_be_visible()
    screenshot(reporter, "phone-closed-unit-page", full_page=True)
