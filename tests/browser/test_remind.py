"""催报 in the browser: the department edits the text, sees who each channel reaches, sends,
and reads per unit which channels went and which are not configured."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

MORNING_OF_DEADLINE = datetime(2022, 3, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# The clock ticks from 10:00, so the time left is 7 hours less the seconds the test takes.
FILLED = re.compile(r"包头市：第一次工作进展报送尚未报送，剩余(7小时|6小时5\d分钟)，请今天报送。")


def test_remind_with_own_text_and_see_each_units_channels(page, demo_site, screenshot):
    from django.core import mail

    from campaigndesk.articles.models import Notice
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.units.models import User

    # 包头市 has an e-mail address; no account has a mobile number; no SMS gateway is set.
    User.objects.filter(username="150200").update(email="baotou@example.org")
    campaign = Campaign.objects.get(year=2022)
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "reviewer")
        page.goto(f"{demo_site.url}/campaigns/{campaign.pk}/dashboard/")
        page.locator(".rate").filter(has_text="第一次工作进展报送").get_by_role(
            "button", name="催报").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("催报 · 第一次工作进展报送")
        plan = page.locator("#remind-plan")
        baotou = plan.locator("tr").filter(has_text="包头市")
        expect(baotou).to_contain_text("1 个邮箱")
        expect(baotou).to_contain_text("未配置短信网关")
        expect(plan.locator("tr").filter(has_text="乌海市")).to_contain_text(
            "本单位账号未填写电子邮箱")

        page.get_by_label("催报内容").fill("{单位}：{报送节点}尚未报送，{剩余时间}，请今天报送。")
        page.get_by_role("button", name="预览").click()
        expect(baotou).to_contain_text(FILLED)
        screenshot(page, "remind-compose", full_page=True)

        page.get_by_role("button", name="发送催报").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("催报结果")
        messages = page.locator(".messages")
        expect(messages).to_contain_text("已向 14 个未报送单位发送催报：站内通知 14 个单位、"
                                         "电子邮件 1 个单位")
        expect(messages).to_contain_text("短信未发出（未配置短信网关")
        outcomes = page.locator("#remind-outcomes")
        row = outcomes.locator("tr").filter(has_text="包头市")
        expect(row.locator(".outcome-notice")).to_have_text("已发送")
        expect(row.locator(".outcome-email")).to_contain_text("已发送 1 人")
        expect(row.locator(".outcome-sms")).to_contain_text("未配置")
        other = outcomes.locator("tr").filter(has_text="乌海市")
        expect(other.locator(".outcome-email")).to_contain_text("本单位账号未填写电子邮箱")
        screenshot(page, "remind-result", full_page=True)

    assert [m.to for m in mail.outbox] == [["baotou@example.org"]]
    assert FILLED.fullmatch(Notice.objects.get(unit__code="150200").text)
