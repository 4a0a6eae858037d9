"""The region user's dashboard (matrix, filter, 催报) and the screen display at 1920×1080."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

MORNING_OF_DEADLINE = datetime(2022, 3, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_region_user_sees_matrix_filters_and_reminds(page, demo_site, samples, screenshot):
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "region-admin")
        page.get_by_role("link", name="数据看板").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("数据看板")
        matrix = page.locator("#status-matrix tbody tr")
        expect(matrix).to_have_count(samples.participants.count())
        expect(page.locator("#status-matrix")).to_contain_text("逾期报送")  # 乌海市
        expect(page.locator("#chart-units canvas")).to_have_count(1)  # ECharts drew
        expect(page.locator("#headline")).to_contain_text("6")
        screenshot(page, "dashboard-region", full_page=True)

        page.locator("#f-unit").select_option(label="赤峰市")
        page.get_by_role("button", name="筛选").click()
        expect(matrix).to_have_count(1)
        expect(matrix.first).to_contain_text("赤峰市")
        expect(page.locator("#by-unit tbody tr")).to_have_count(1)
        expect(page.locator("#export-xlsx")).to_have_attribute("href", "/campaigns/"
                                                                f"{samples.pk}/dashboard.xlsx"
                                                                "?unit=150400")

        page.get_by_role("link", name="清除").click()
        first = page.locator(".rate").filter(has_text="第一次工作进展报送")
        first.get_by_role("button", name="催报").click()
        expect(page.locator("#remind-plan tbody tr")).to_have_count(11)
        page.get_by_role("button", name="发送催报").click()
        expect(page.locator(".messages")).to_contain_text("已向 11 个未报送单位发送催报")
        screenshot(page, "dashboard-reminded")

        page.goto(f"{demo_site.url}/campaigns/{samples.pk}/reminders/")
        expect(page.locator("#reminders-sent tbody tr").first).to_contain_text("催报")


def _fits(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, scroll_width


def test_screen_display_at_1920_by_1080_and_on_a_phone(chromium, demo_site, samples,
                                                        screenshot):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{demo_site.url}/screen/")
        expect(page.locator(".screen-slogan")).to_have_text(samples.slogan)
        expect(page.locator(".screen-figure")).to_have_count(6)
        image = page.locator(".screen-photo.shown img")
        expect(image).to_be_visible()
        page.wait_for_function(
            "document.querySelector('.screen-photo.shown img').naturalWidth > 0")
        _fits(page, 1920)
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        box = page.locator(".screen-figures").bounding_box()
        assert box["x"] + box["width"] <= 1920 and box["y"] + box["height"] <= 1080
        screenshot(page, "screen-1920x1080")
    finally:
        context.close()
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                 is_mobile=True, device_scale_factor=2)
    try:
        page = phone.new_page()
        page.goto(f"{demo_site.url}/screen/")
        expect(page.locator(".screen-slogan")).to_be_visible()
        _fits(page, 390)
        screenshot(page, "screen-phone", full_page=True)
    finally:
        phone.close()
