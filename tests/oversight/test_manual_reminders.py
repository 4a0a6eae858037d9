"""催报 says what it did: per unit, which channels went, which failed or are not configured;
the department's own text with placeholders, checked before anything leaves."""

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigndesk.articles.models import Notice
from campaigndesk.audit.models import AuditEntry
from campaigndesk.oversight import reminders
from campaigndesk.oversight.models import ManualReminder, ReminderSent
from campaigndesk.oversight.sms import MemorySmsBackend
from campaigndesk.units.models import Role, User

from .conftest import beijing

MORNING = beijing(3, 24, 11)  # six hours before the first round closes at 17:00


def first_deadline(campaign):
    return campaign.deadlines.get(title="第一次工作进展报送")


@pytest.fixture
def two_kinds(demo):
    """包头市 (150200) has an e-mail address and a mobile number; nobody else has either."""
    User.objects.filter(role=Role.REPORTER).update(email="", phone="")
    User.objects.filter(username="150200").update(email="baotou@example.org",
                                                  phone="13800001111")
    return demo


def press(client, campaign, **data):
    url = reverse("campaign_remind", kwargs={"pk": campaign.pk})
    with time_machine.travel(MORNING, tick=False):
        return client.post(url, {"deadline": first_deadline(campaign).pk, **data}, follow=True)


def cells(html: str, unit: str) -> str:
    """The result table's row of one unit, tags stripped."""
    import re

    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if f"<td>{unit}</td>" in r)
    return re.sub(r"<[^>]+>", " ", row)


def test_result_names_each_units_channels_and_never_claims_what_did_not_go(
        two_kinds, personas, as_user, settings):
    settings.CAMPAIGNDESK_SMS_BACKEND = ""  # the default: a console backend, no gateway
    response = press(as_user(personas["reviewer"]), two_kinds)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(
        f"/campaigns/{two_kinds.pk}/remind/")
    n = two_kinds.participants.count()
    start = html.index('class="messages"')
    message = html[start:html.index("</ul>", start)]
    assert f"已向 {n} 个未报送单位发送催报" in message
    assert "电子邮件 1 个单位" in message
    assert "短信未发出（未配置短信网关" in message
    assert "短信 " not in message.split("。")[0]  # the first sentence lists what went
    baotou = cells(html, "包头市")
    assert baotou.count("已发送") == 2 and "1 人" in baotou and "未配置短信网关" in baotou
    wuhai = cells(html, "乌海市")
    assert "本单位账号未填写电子邮箱" in wuhai and "未配置短信网关" in wuhai
    assert [m.to for m in mail.outbox] == [["baotou@example.org"]]
    assert not ReminderSent.objects.filter(channel="sms").exists()
    assert Notice.objects.filter(unit__code="150300").count() == 1


def test_no_mail_server_is_said_and_nothing_is_claimed(two_kinds, personas, as_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    html = press(as_user(personas["reviewer"]), two_kinds).content.decode()
    assert "未配置邮件服务器" in cells(html, "包头市")
    assert "已发送" in cells(html, "包头市").split("未配置")[0]  # the notice went
    assert not ReminderSent.objects.filter(channel="email").exists()
    assert len(MemorySmsBackend.outbox) == 1  # the SMS gateway is configured: it went


def test_failed_mail_is_shown_and_retried_on_the_next_press(two_kinds, personas, as_user,
                                                            monkeypatch):
    def down(*args, **kwargs):
        raise OSError("connection refused")

    client = as_user(personas["region_admin"])
    monkeypatch.setattr(reminders, "send_mail", down)
    first = press(client, two_kinds).content.decode()
    assert "发送失败" in cells(first, "包头市") and "connection refused" in cells(first, "包头市")
    monkeypatch.undo()
    second = press(client, two_kinds).content.decode()
    row = cells(second, "包头市")
    # The notice and the SMS went at the first press; only the mail is sent again.
    assert row.count("本小时内已发送") == 2 and "1 人" in row
    assert [m.to for m in mail.outbox] == [["baotou@example.org"]]
    assert Notice.objects.filter(unit__code="150200").count() == 1


def test_the_departments_text_with_placeholders_is_what_units_read(two_kinds, personas,
                                                                   as_user):
    text = "请{单位}于{截止时间}前报送“{报送节点}”，｛剩余时间｝。"
    press(as_user(personas["reviewer"]), two_kinds, text=text)
    expected = "请包头市于3月24日 17:00前报送“第一次工作进展报送”，剩余6小时。"
    assert Notice.objects.get(unit__code="150200").text == expected
    assert MemorySmsBackend.outbox == [("13800001111", expected)]
    [message] = mail.outbox
    assert message.subject == "【催报】包头市：第一次工作进展报送"
    assert expected in message.body and "/units/150200/progress/" in message.body
    assert Notice.objects.get(unit__code="150300").text.startswith("请乌海市于")
    run = ManualReminder.objects.get()
    assert run.text == text
    entry = AuditEntry.objects.get(action="reminder.manual")
    assert entry.changes["email"] == 1 and entry.changes["sms"] == 1
    assert entry.changes["notice"] == two_kinds.participants.count()
    # The next 催报 of this campaign starts from the text sent last.
    page = as_user(personas["reviewer"]).get(
        reverse("campaign_remind", kwargs={"pk": two_kinds.pk}),
        {"deadline": first_deadline(two_kinds).pk})
    assert text in page.content.decode()


@pytest.mark.parametrize(("text", "says"), [
    ("{单位名称}请尽快报送", "“{单位名称}”不是可用的占位符"),
    ("   ", "请填写催报内容"),
    # A brace left over would reach the bureaus as typed.
    ("{单位请尽快报送", "不成对的括号“{”"),
    ("{单位}}：{报送节点}截止", "不成对的括号“}”"),
    ("{单位}" + "请尽快报送。" * 60, "催报内容过长"),
])
def test_a_wrong_text_is_refused_and_nothing_leaves(two_kinds, personas, as_user, text, says):
    response = press(as_user(personas["reviewer"]), two_kinds, text=text)
    html = response.content.decode()
    assert response.status_code == 200 and says in html
    assert 'id="error-summary"' in html
    assert not Notice.objects.exists() and not mail.outbox
    assert not ManualReminder.objects.exists()
    # The button still says how many units the corrected text will reach.
    assert "发送催报（0 个单位）" not in html and "发送催报（" in html


def test_preview_fills_in_each_unit_and_sends_nothing(two_kinds, personas, as_user,
                                                      settings):
    settings.CAMPAIGNDESK_SMS_BACKEND = ""
    response = press(as_user(personas["reviewer"]), two_kinds, text="{单位}：{剩余时间}",
                     preview="1")
    html = response.content.decode()
    assert "包头市：剩余6小时" in html and "乌海市：剩余6小时" in html
    baotou = cells(html, "包头市")
    assert "1 个邮箱" in baotou and "未配置短信网关" in baotou
    assert "本单位账号未填写电子邮箱" in cells(html, "乌海市")
    assert not Notice.objects.exists() and not mail.outbox


def test_compose_page_without_a_deadline_or_with_a_bad_one(demo, personas, as_user):
    client = as_user(personas["reviewer"])
    url = reverse("campaign_remind", kwargs={"pk": demo.pk})
    assert client.get(url).status_code == 302
    assert client.get(url, {"deadline": "abc"}).status_code == 404
    assert client.post(url, {"deadline": "99999"}).status_code == 404
    assert client.get(url, {"deadline": first_deadline(demo).pk, "unit": "999999"}
                      ).status_code == 404


def test_the_timer_claims_no_channel_that_is_not_configured(two_kinds, settings):
    settings.CAMPAIGNDESK_SMS_BACKEND = ""
    with time_machine.travel(beijing(3, 24, 15, 30), tick=False):
        call_command("send_reminders")
    channels = set(ReminderSent.objects.values_list("channel", flat=True))
    assert channels == {"notice", "email"}
    assert ReminderSent.objects.filter(channel="email").get().unit.code == "150200"
