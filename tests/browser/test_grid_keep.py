"""Issue 15: a block pasted with its header and 序号 lands by header; nothing typed is lost
to a reload, a closed tab or a lost connection, in the grid and in the brief editor."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from campaigndesk.progress.table import COLUMNS

from .test_login_pages import log_in
from .test_progress_grid import MORNING_OF_DEADLINE, console_errors, paste

pytestmark = pytest.mark.browser

HEADER = "\t".join(["序号"] + [c.header for c in COLUMNS])
BLOCK = (f"{HEADER}\n"
         "1\t社工宣传进社区\t赛罕区社工站\t12\t3月18日\t昭乌达路社区\t宣传\t老年人\t150\t0\t0\t\n"
         "2\t助残服务日\t回民区残联\t8\t3月20日\t通道街社区\t上门服务\t残疾人\t40\t0\t800\t\n"
         "合计\t\t\t20\t\t\t\t\t190\t0\t800\t\n")
KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('campaigndesk.keep:')).length"


def wait_until_kept(page) -> None:
    """The copy is written a moment after typing stops (wait_for_function would need eval,
    which the pages' Content-Security-Policy forbids)."""
    for _ in range(50):
        if page.evaluate(KEPT):
            return
        page.wait_for_timeout(100)
    raise AssertionError("nothing was kept in localStorage")


def test_a_block_with_its_header_and_sequence_lands_by_header(page, demo_site):
    from campaigndesk.progress.models import Activity

    errors = console_errors(page)
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/units/150100/progress/")
        # Pasted into 活动开展时间, not the first column: placed by its header all the same.
        paste(page, 'input[name="r-0-dates"]', BLOCK)
        expect(page.locator("#progress-grid tbody tr.grid-row")).to_have_count(2)
        expect(page.locator('input[name="r-0-name"]')).to_have_value("社工宣传进社区")
        expect(page.locator('input[name="r-1-materials"]')).to_have_value("800")
        expect(page.locator('input[name="r-1-dates"]')).to_have_value("3月20日")
        note = page.locator("#grid-paste-note")
        expect(note).to_contain_text("表头（1 行）没有作为活动")
        expect(note).to_contain_text("序号列没有粘贴")
        expect(note).to_contain_text("1 行合计没有作为活动")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text("新增 2 条")
    names = sorted(Activity.objects.values_list("name", flat=True))
    assert names == ["助残服务日", "社工宣传进社区"]
    assert errors == []


def test_unsaved_rows_survive_a_reload_a_closed_tab_and_a_lost_connection(page, demo_site):
    from campaigndesk.progress.models import Activity

    grid = f"{demo_site.url}/units/150100/progress/"
    context = page.context
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(grid)
        page.locator('input[name="r-0-name"]').fill("还没保存的活动")
        page.locator('input[name="r-0-participants"]').fill("7")
        page.locator('input[name="r-0-dates"]').fill("3月18日")
        wait_until_kept(page)
        asked = []
        page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
        page.reload()  # leaving with unsaved changes asks first
        assert asked == ["beforeunload"]
        offer = page.locator("#grid-restore")
        expect(offer).to_contain_text("本页有尚未保存的内容（1 行")
        offer.get_by_role("button", name="恢复这些内容").click()
        expect(page.locator('input[name="r-0-name"]')).to_have_value("还没保存的活动")

        page.close()  # the tab closed
        page = context.new_page()
        page.goto(grid)
        page.locator("#grid-restore").get_by_role("button", name="恢复这些内容").click()
        expect(page.locator('input[name="r-0-participants"]')).to_have_value("7")

        context.set_offline(True)  # the save never arrives
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_load_state()
        context.set_offline(False)
        page.goto(grid)
        assert not Activity.objects.exists()
        page.locator("#grid-restore").get_by_role("button", name="恢复这些内容").click()
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text("新增 1 条")
        expect(page).not_to_have_url(re.compile("saved="))  # keep.js has run on this page
        assert page.evaluate(KEPT) == 0  # saved: the copy is gone
        page.reload()
        expect(page.locator("#grid-restore")).to_be_hidden()
    assert Activity.objects.get().name == "还没保存的活动"


def test_the_brief_editor_keeps_what_was_typed(page, demo_site):
    from campaigndesk.articles.models import Article
    from campaigndesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(year=2022)
    body = "3月18日，赛罕区社工站在昭乌达路社区开展社会工作宣传活动，为居民讲解社会工作知识。" * 6
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/campaigns/{campaign.pk}/units/150100/articles/new/")
        page.locator("#id_title").fill("社工宣传进社区")
        page.locator("#id_body").fill(body)
        wait_until_kept(page)
        page.on("dialog", lambda dialog: dialog.accept())
        page.reload()
        expect(page.locator("#id_title")).to_have_value("")
        page.locator(".keep-offer").get_by_role("button", name="恢复这些内容").click()
        expect(page.locator("#id_title")).to_have_value("社工宣传进社区")
        expect(page.locator("#id_body")).to_have_value(body)
        page.locator("#article-form").get_by_role("button", name="保存草稿").click()
        expect(page.locator(".messages")).to_contain_text("草稿已保存")
        expect(page).not_to_have_url(re.compile("saved="))
        assert page.evaluate(KEPT) == 0
    assert Article.objects.get().title == "社工宣传进社区"
