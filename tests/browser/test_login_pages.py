"""What a user sees in a real browser: log-in, the landing pages, and no other unit's data."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from campaigndesk.demo import DEMO_PASSWORD, REPORTING_CODES

pytestmark = pytest.mark.browser

BEIJING = ZoneInfo("Asia/Shanghai")
# Two hours before the first progress report is due (2022-03-24 17:00). The clock ticks from
# here, so the page shows 剩余2小时 for the first minute of the test.
BEFORE_FIRST_DEADLINE = datetime(2022, 3, 24, 14, 59, tzinfo=BEIJING)


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD):
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", name="登录", exact=True)).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("form.stacked").get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_reporter_lands_on_unit_page_with_24_march_deadline(page, demo_site, screenshot):
    with time_machine.travel(BEFORE_FIRST_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")

        expect(page).to_have_url(
            re.compile(rf"^{re.escape(demo_site.url)}/campaigns/\d+/units/150100/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("呼和浩特市")
        first = page.locator(".deadline").filter(has_text="第一次工作进展报送")
        expect(first).to_have_count(1)
        expect(first).to_contain_text("2022年3月24日 17:00 截止")
        expect(first).to_contain_text("未报送")
        expect(first).to_contain_text("剩余2小时")
        expect(first).not_to_contain_text("分钟")
        # The other deadlines are listed too, with their own dates.
        expect(page.locator(".deadline")).to_have_count(3)
        expect(page.locator(".deadline").nth(1)).to_contain_text("2022年3月31日 17:00")
        screenshot(page, "unit-150100")


def test_region_admin_sees_all_14_reporting_units(page, demo_site, screenshot):
    with time_machine.travel(BEFORE_FIRST_DEADLINE, tick=True):
        log_in(page, demo_site, "region-admin")

        expect(page).to_have_url(re.compile(rf"^{re.escape(demo_site.url)}/campaigns/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("2022年社会工作主题宣传活动")
        rows = page.locator("#unit-status tbody tr")
        expect(rows).to_have_count(14)
        codes = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(14)]
        assert sorted(codes) == sorted(REPORTING_CODES)
        # Both cities lie inside a league but report directly to the region.
        for name in ("呼和浩特市", "满洲里市", "二连浩特市"):
            expect(rows.filter(has_text=name)).to_have_count(1)
        expect(rows.filter(has_text="满洲里市")).to_contain_text("位于呼伦贝尔市，直接报送")
        expect(rows.filter(has_text="二连浩特市")).to_contain_text("位于锡林郭勒盟，直接报送")
        screenshot(page, "region-overview")


def test_reporter_of_another_unit_gets_404_not_the_data(page, demo_site):
    log_in(page, demo_site, "150200")
    expect(page).to_have_url(
        re.compile(rf"^{re.escape(demo_site.url)}/campaigns/\d+/units/150200/$"))

    response = page.goto(f"{demo_site.url}/units/150100/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    body = page.locator("body")
    expect(body).not_to_contain_text("呼和浩特市")
    expect(body).not_to_contain_text("第一次工作进展报送")


def test_login_page(page, demo_site, screenshot):
    page.goto(f"{demo_site.url}/login/")
    expect(page).to_have_title(re.compile("登录"))
    expect(page.locator(".demo-logins")).to_contain_text("Demo#2022")
    screenshot(page, "login")

    log_in(page, demo_site, "150100", password="wrong-password")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("form.stacked")).to_contain_text("用户名")
