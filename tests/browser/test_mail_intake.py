"""Issue 15 point 1 in the browser: a table mailed by 呼和浩特市 is on its home page, its
preview reads on a phone (no sideways scroll), and 确认并报送 submits the round as 邮件报送."""

import pytest
from playwright.sync_api import expect

from tests.intake.matrix import mail

from .test_login_pages import log_in
from .test_phone_layout import PHONE, scroll_width

pytestmark = pytest.mark.browser


def test_a_reporter_confirms_a_mailed_table_on_a_phone(chromium, demo_site, settings, tmp_path,
                                                       screenshot):
    from campaigndesk.progress.models import ReportVersion
    from campaigndesk.units.models import Unit

    settings.DATA_DIR = tmp_path
    mail({"units": {u.code: u for u in Unit.objects.all()}})
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai",
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, demo_site, "150100")
        page.get_by_role("link", name="预览并确认").click()  # the home page's card
        page.get_by_role("link", name="预览并确认").click()  # the unit's 邮件报送 list
        expect(page.locator("#mail-round")).to_contain_text("将报送第一次工作进展报送")
        expect(page.locator("#import-read")).to_contain_text("读到 1 行活动，均无错误")
        page.wait_for_load_state("networkidle")
        assert scroll_width(page) <= PHONE["width"]
        screenshot(page, "mail-intake-preview-phone", full_page=True)
        page.get_by_label("填报人").fill("王芳")
        page.get_by_label("手机号码").fill("13800001234")
        page.get_by_role("button", name="确认并报送").click()
        expect(page.locator(".messages")).to_contain_text("已按邮件到达时间报送第一次工作进展报送")
        expect(page.locator(".by-mail").first).to_be_visible()
    finally:
        context.close()
    version = ReportVersion.objects.get()
    assert version.by_mail and not version.is_late
