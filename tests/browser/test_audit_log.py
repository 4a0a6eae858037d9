"""The auditor's log in the browser: actions, fields and values in Chinese, filters by name,
a long text edit shown as the changed part."""

import re

import pytest
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser
CODES = re.compile(r"\b(state|late|activities|typical|published|accepted|submitted|draft|"
                   r"notice|email|sms|version|[a-z_]+\.[a-z_]+)\b")


def test_auditor_reads_the_log_in_chinese(page, browser_context_for, demo_site, samples,
                                          screenshot):
    # The department edits one phrase in the middle of the campaign's long notice.
    log_in(page, demo_site, "region-admin")
    page.goto(f"{demo_site.url}/campaigns/{samples.pk}/edit/")
    notice = page.locator("textarea[name=notice_text]")
    notice.fill(notice.input_value().replace("社会工作", "专业社会工作", 1))
    page.get_by_role("button", name="保存").first.click()
    expect(page.locator(".messages")).to_contain_text("已保存")

    auditor = browser_context_for()
    log_in(auditor, demo_site, "auditor")
    expect(auditor.get_by_role("heading", level=1)).to_have_text("审计日志")
    changes = auditor.locator("#audit-table td.changes")
    expect(changes.first).to_be_visible()
    for cell in [*changes.all_text_contents(),
                 *auditor.locator("#audit-table tbody td:nth-child(4)").all_text_contents()]:
        assert not CODES.search(cell), cell

    auditor.get_by_label("操作").select_option(label="发布稿件")
    rows = auditor.locator("#audit-table tbody tr")
    expect(rows.first).to_contain_text("发布稿件")
    expect(rows.filter(has_text="状态：典型案例 → 已发布").first).to_be_visible()

    auditor.get_by_label("操作").select_option(label="修改活动")
    edit = auditor.locator("#audit-table tbody tr").first
    expect(edit.locator("ins")).to_have_text("专业")
    text = edit.locator("td.changes").inner_text()
    assert "通知正文：…" in text and len(text) < 200, text
    screenshot(auditor, "audit-log-diff", full_page=True)
