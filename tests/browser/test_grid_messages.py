"""On a 390×844 phone, a wrong cell's message stays on the screen: it opened cut off at the
grid box's right edge; a pasted column the header does not name is named in red (outside
check of issue 15)."""

import pytest
import time_machine
from playwright.sync_api import expect

from .test_login_pages import log_in
from .test_progress_grid import MORNING_OF_DEADLINE, console_errors, paste

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_long_cell_message_stays_within_the_phone_screen(page, demo_site, screenshot):
    page.set_viewport_size(PHONE)
    errors = console_errors(page)
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150600")
        page.goto(f"{demo_site.url}/units/150600/progress/")
        page.locator('input[name="r-0-name"]').fill("社区宣传")
        page.locator('input[name="r-0-dates"]').fill("3月18日")
        # 链接物资折价, the grid's second last column: its message is the long one of three
        # decimals, wider than the page.
        page.locator('input[name="r-0-materials"]').fill("12.345")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text(
            "1 行有错误，已按原样保存在草稿中")

        cell = page.locator('input[name="r-0-materials"]')
        message = page.locator("#m-0-materials")
        # From the list above the grid: the cell is focused, then scrolled into view.
        page.locator("#grid-problems a").click()
        expect(cell).to_be_focused()
        expect(message).to_contain_text("超过两位小数")
        page.wait_for_timeout(300)  # the scroll that brings the cell into view
        screenshot(page, "phone-grid-cell-message")
        shown = message.bounding_box()
        box = page.locator(".grid-scroll").bounding_box()
        assert shown["x"] >= box["x"] >= 0, shown
        assert shown["x"] + shown["width"] <= box["x"] + box["width"] <= PHONE["width"], shown
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= PHONE["height"], shown
        # Under the cell, where it belongs, and nothing of it clipped by the grid's scroll
        # box or the screen (IntersectionObserver counts what the box cuts off).
        td = cell.locator("xpath=..").bounding_box()
        assert shown["y"] == pytest.approx(td["y"] + td["height"], abs=4)
        expect(message).to_be_in_viewport(ratio=0.99)
        # It follows the cell when the grid's box is scrolled sideways.
        before = cell.bounding_box()["x"]
        page.locator(".grid-scroll").evaluate("b => { b.scrollLeft -= 40; }")
        page.wait_for_timeout(200)
        assert cell.bounding_box()["x"] > before  # the box scrolled
        expect(message).to_be_in_viewport(ratio=0.99)
        assert message.bounding_box()["y"] == pytest.approx(shown["y"], abs=1)
    assert errors == []


def test_a_pasted_column_without_a_header_is_named_in_red(page, demo_site):
    from campaigndesk.progress.table import COLUMNS

    header = "\t".join(["序号", *[c.header for c in COLUMNS[:8]], "链接资源情况", "备注"])
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150600")
        page.goto(f"{demo_site.url}/units/150600/progress/")
        paste(page, 'input[name="r-0-name"]',
              f"{header}\n1\t社区宣传\t站\t12\t3月18日\t社区\t宣传\t老年人\t60\t100\t\n")
        expect(page.locator('input[name="r-0-beneficiaries"]')).to_have_value("60")
        warning = page.locator("#grid-paste-warning")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("第 J 列（链接资源情况）的 1 个单元格（100）无法按表头放入")
