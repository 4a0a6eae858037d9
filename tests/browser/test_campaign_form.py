"""The campaign settings form in Chromium: saved unchanged, and an error brought into view."""

import pytest
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser


def test_campaign_settings_save_unchanged_and_errors_come_into_view(page, demo_site,
                                                                    screenshot):
    from campaigndesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(year=2022)
    log_in(page, demo_site, "region-admin")
    edit = f"{demo_site.url}/campaigns/{campaign.pk}/edit/"
    page.goto(edit)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("已保存“2022年社会工作主题宣传活动”")
    assert page.url.rstrip("/").endswith(f"/campaigns/{campaign.pk}")
    assert Campaign.objects.get(pk=campaign.pk).version == campaign.version  # nothing changed

    page.goto(edit)
    page.locator("#id_deadlines-1-title").fill("")  # 第二次工作进展报送, in the fourth card
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("请修改以下 1 处：")
    expect(summary).to_contain_text("报送节点 第2行 · 名称：这个字段是必填项")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    screenshot(page, "campaign-form-error-summary")

    summary.get_by_role("link", name="报送节点 第2行 · 名称").click()
    expect(page.locator("#id_deadlines-1-title")).to_be_focused()
    expect(page.locator("#id_deadlines-1-title")).to_be_in_viewport()
