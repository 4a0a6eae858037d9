"""A draft is not a figure: the department sees it apart until the bureau submits it.

呼和浩特市's reporter types an activity into the grid and saves a draft; the region
administrator's 工作进展汇总 shows it only under 草稿（未报送）, with every total at 0 and
the dashboard empty. Once the reporter submits, the 合计 row fills the round's columns and
the cumulative ones, and the dashboard counts it.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

MORNING_OF_DEADLINE = datetime(2022, 3, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def footer(page) -> list[str]:
    return [c.strip().replace(",", "") for c in
            page.locator("#progress-summary tfoot td").all_inner_texts()]


def dashboard_total(page, url: str) -> int:
    page.goto(url)
    data = json.loads(page.locator("#dashboard-data").text_content())
    return sum(data["units"]["activities"])


def test_a_draft_is_shown_apart_and_counts_once_submitted(page, demo_site, browser_context_for,
                                                          screenshot):
    from campaigndesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(year=2022)
    summary = f"{demo_site.url}/campaigns/{campaign.pk}/progress/"
    dashboard = f"{demo_site.url}/campaigns/{campaign.pk}/dashboard/"
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/units/150100/progress/")
        page.locator('input[name="r-0-name"]').click()
        page.keyboard.type("社工宣传进社区")
        page.locator('input[name="r-0-participants"]').click()
        page.keyboard.type("36")
        page.locator('input[name="r-0-dates"]').click()
        page.keyboard.type("3月18日")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text("草稿已保存：新增 1 条")

        region = browser_context_for()
        log_in(region, demo_site, "region-admin")
        region.goto(summary)
        hohhot = region.locator("#progress-summary tbody tr", has_text="呼和浩特市")
        cells = [c.strip() for c in hohhot.locator("td").all_inner_texts()]
        # 单位, round 1 (5), round 2 (5), cumulative (5), draft (5)
        assert cells[1] == "0" and cells[11] == "0"
        assert cells[16:18] == ["1", "36"]
        expect(hohhot.locator("td.draft").first).to_have_text("1")
        assert footer(region)[0] == "0" and footer(region)[10] == "0"
        screenshot(region, "summary-with-draft-apart")
        assert dashboard_total(region, dashboard) == 0

        page.locator('input[name="reporter_name"]').fill("王芳")
        page.locator('input[name="reporter_phone"]').fill("13800001234")
        page.get_by_role("button", name="保存并报送").click()
        expect(page.locator(".messages")).to_contain_text("已报送")

        region.goto(summary)
        totals = footer(region)
        assert totals[0:2] == ["1", "36"]  # the round's 合计 columns are filled
        assert totals[10:12] == ["1", "36"]  # and the cumulative ones
        assert totals[15] == "0"  # no draft left
        assert re.sub(r"\s", "", region.locator("#progress-summary tfoot th").inner_text()) \
            == "合计"
        screenshot(region, "summary-after-submission")
        assert dashboard_total(region, dashboard) == 1
