"""使用说明 in a real browser (issue 13 point 10): a reporter clicks it in the top bar, reads
the reporter's page with the campaign's deadlines, and its links open the real pages; on an
office screen and on a 390 px phone."""

import re

import pytest
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _open_help_from_the_top_bar(page):
    link = page.locator("#nav-help")
    if not link.is_visible():
        # A phone layout may fold the top bar behind a menu button: open it first.
        page.locator("header.top button[aria-controls]").first.click()
    expect(link).to_have_text("使用说明")
    link.click()


def _sees_the_reporter_page(page, campaign):
    expect(page).to_have_url(re.compile(rf"/help/reporter/\?campaign={campaign.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("使用说明 · 单位填报员")
    deadlines = page.locator("#help-deadline-table")
    expect(deadlines).to_contain_text("第一次工作进展报送")
    expect(deadlines).to_contain_text("2022年3月24日 17:00")
    expect(deadlines.locator("thead")).to_contain_text("呼和浩特市")
    expect(page.locator("#help-tabs a.current")).to_contain_text("单位填报员（您的角色）")


def test_reporter_opens_the_help_from_the_top_bar(page, demo_site, screenshot):
    from campaigndesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(year=2022)
    log_in(page, demo_site, "150100")
    expect(page.get_by_role("heading", level=1)).to_have_text("呼和浩特市")
    _open_help_from_the_top_bar(page)
    _sees_the_reporter_page(page, campaign)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "help-reporter-1366", full_page=True)
    # The text's links open the real pages of the reporter's unit in this campaign.
    page.locator("#r-progress").get_by_role("link", name="工作进展情况统计表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("呼和浩特市 · 工作进展情况统计表")

    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/campaigns/{campaign.pk}/units/150100/")
    _open_help_from_the_top_bar(page)
    _sees_the_reporter_page(page, campaign)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "help-reporter-390", full_page=True)


def test_the_help_prints_on_a4_without_the_site_controls(page, demo_site, screenshot_dir):
    from .test_print import _printed

    log_in(page, demo_site, "region-admin")
    for name in ("reporter", "reviewer", "admin"):
        _printed(page, f"{demo_site.url}/help/{name}/", screenshot_dir / f"print-help-{name}.pdf")
        expect(page.locator("#help-tabs")).to_be_hidden()  # the tabs are controls, not text
