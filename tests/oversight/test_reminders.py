"""Deadlines with frozen time, reminders sent once and only to the units still missing."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigndesk.articles.models import Notice
from campaigndesk.campaigns.models import Submission
from campaigndesk.campaigns.status import State, unit_statuses
from campaigndesk.oversight import reminders
from campaigndesk.oversight.models import (
    ReminderKind,
    ReminderSent,
    ReminderSettings,
    parse_offsets,
)
from campaigndesk.oversight.sms import MemorySmsBackend
from campaigndesk.progress import services
from campaigndesk.progress.table import ActivityRow
from campaigndesk.units.models import User

from .conftest import beijing


def first_deadline(campaign):
    return campaign.deadlines.get(title="第一次工作进展报送")


def submit(campaign, code: str):
    user = User.objects.get(username=code)
    report = services.current_report(campaign, user.unit)
    services.save_round(user, report, [(None, ActivityRow(name=f"{code}活动"))])
    return services.submit_report(user, report, reporter_name="王芳",
                                  reporter_phone="13800001234")


@pytest.mark.parametrize(("moment", "late"), [
    (beijing(3, 24, 16, 59), False),
    (beijing(3, 24, 17, 1), True),
    # The same instants written in UTC: 17:00 in Beijing is 09:00 UTC.
    (datetime(2022, 3, 24, 8, 59, tzinfo=UTC), False),
    (datetime(2022, 3, 24, 9, 1, tzinfo=UTC), True),
    # 16:30 UTC on the 24th is already the 25th in Beijing: late, though "the 24th" in UTC.
    (datetime(2022, 3, 24, 16, 30, tzinfo=UTC), True),
])
def test_report_one_minute_either_side_of_17_00(demo, moment, late):
    with time_machine.travel(moment, tick=False):
        version = submit(demo, "150100")
        statuses = unit_statuses(demo, version.report.unit)
    assert version.is_late is late
    submission = Submission.objects.get(deadline=first_deadline(demo), unit__code="150100")
    assert submission.is_late is late
    assert statuses[0].state == (State.LATE if late else State.ON_TIME)
    if late:
        assert statuses[0].detail.startswith("迟报")


def test_due_reminders_follow_the_offsets(demo):
    deadline = first_deadline(demo)
    due = lambda now: [(d.kind, d.offset) for d in reminders.due_reminders(demo, now)  # noqa: E731
                       if d.deadline == deadline]
    assert due(beijing(3, 23, 16, 59)) == []  # 24 h and one minute before
    assert due(beijing(3, 23, 17, 0)) == [(ReminderKind.BEFORE, 24)]
    assert due(beijing(3, 24, 14, 59)) == [(ReminderKind.BEFORE, 24)]
    assert due(beijing(3, 24, 15, 0)) == [(ReminderKind.BEFORE, 2)]
    assert due(beijing(3, 24, 16, 59)) == [(ReminderKind.BEFORE, 2)]
    assert due(beijing(3, 24, 17, 1)) == [(ReminderKind.LATE, 0)]
    assert due(beijing(4, 1, 17, 1)) == []  # a week later: no more late notices


def test_offsets_are_per_campaign(demo):
    ReminderSettings.objects.create(campaign=demo, offsets_text="48, 6")
    deadline = first_deadline(demo)
    kinds = [(d.kind, d.offset) for d in reminders.due_reminders(demo, beijing(3, 24, 12))
             if d.deadline == deadline]
    assert kinds == [(ReminderKind.BEFORE, 6)]
    assert parse_offsets("24，2, 24") == [24, 2]
    with pytest.raises(ValueError, match="整数小时"):
        parse_offsets("2h")


def test_reminders_go_once_and_only_to_missing_units(contacts):
    campaign = contacts
    with time_machine.travel(beijing(3, 24, 10), tick=False):
        submit(campaign, "150100")
    missing = set(campaign.participants.exclude(code="150100").values_list("code", flat=True))
    with time_machine.travel(beijing(3, 24, 15, 30), tick=False):
        mail.outbox.clear()
        call_command("send_reminders")
        first_run = list(mail.outbox)
        call_command("send_reminders")
    assert {m.to[0].split("@")[0] for m in first_run} == missing
    assert len(mail.outbox) == len(missing)  # the second run sent nothing
    deadline = first_deadline(campaign)
    notices = Notice.objects.filter(text__contains=deadline.title)
    assert set(notices.values_list("unit__code", flat=True)) == missing
    assert notices.count() == len(missing)
    assert len(MemorySmsBackend.outbox) == len(missing)
    assert not ReminderSent.objects.filter(unit__code="150100").exists()


def test_before_then_nearer_then_late(contacts):
    campaign = contacts
    runs = [beijing(3, 23, 18), beijing(3, 23, 18, 5), beijing(3, 24, 15, 10),
            beijing(3, 24, 17, 5), beijing(3, 24, 17, 10)]
    counts = []
    for moment in runs:
        with time_machine.travel(moment, tick=False):
            mail.outbox.clear()
            call_command("send_reminders")
            counts.append(sum("第一次工作进展报送" in m.subject for m in mail.outbox))
    n = campaign.participants.count()
    assert counts == [n, 0, n, n, 0]
    kinds = set(ReminderSent.objects.filter(unit__code="150200", channel="email")
                .values_list("kind", "offset"))
    assert kinds == {("before", 24), ("before", 2), ("late", 0)}


def test_email_says_who_what_when_how_long_and_where(contacts):
    with time_machine.travel(beijing(3, 24, 15, 30), tick=False):
        call_command("send_reminders")
    message = next(m for m in mail.outbox if m.to == ["150200@example.org"])
    assert "包头市" in message.subject and "第一次工作进展报送" in message.subject
    assert "剩余1小时30分钟" in message.subject
    assert "2022年03月24日 17:00" in message.body
    assert "工作进展情况统计表" in message.body
    # The link opens the grid of the reminded deadline's campaign, never "the latest" one.
    link = f"/campaigns/{contacts.pk}/units/150200/progress/"
    assert f"https://desk.example.org{link}" in message.body
    notice = Notice.objects.get(unit__code="150200")
    assert "剩余1小时30分钟" in notice.text and notice.link == link
    with time_machine.travel(beijing(3, 24, 19), tick=False):
        call_command("send_reminders")
    late = [m for m in mail.outbox if m.to == ["150200@example.org"]][-1]
    assert "已逾期2小时" in late.subject and "补报" in late.body


def test_mail_server_down_is_retried_on_the_next_run(contacts, monkeypatch):
    def down(*args, **kwargs):
        raise OSError("connection refused")

    with time_machine.travel(beijing(3, 24, 15, 30), tick=False):
        monkeypatch.setattr(reminders, "send_mail", down)
        call_command("send_reminders")
        assert not ReminderSent.objects.filter(channel="email").exists()
        assert ReminderSent.objects.filter(channel="notice").exists()
        monkeypatch.undo()
        call_command("send_reminders")
    assert len(mail.outbox) == contacts.participants.count()
    assert Notice.objects.filter(unit__code="150200").count() == 1


def test_press_remind_on_the_dashboard(contacts, personas, as_user):
    campaign = contacts
    with time_machine.travel(beijing(3, 24, 10), tick=False):
        submit(campaign, "150100")
    deadline = first_deadline(campaign)
    client = as_user(personas["reviewer"])
    url = reverse("campaign_remind", kwargs={"pk": campaign.pk})
    with time_machine.travel(beijing(3, 24, 11), tick=False):
        response = client.post(url, {"deadline": deadline.pk}, follow=True)
        again = client.post(url, {"deadline": deadline.pk}, follow=True)
    n = campaign.participants.count() - 1
    assert f"已向 {n} 个未报送单位发送催报" in response.content.decode()
    assert "本小时内已催报过" in again.content.decode()
    assert len(mail.outbox) == n
    assert all("150100" not in m.to[0] for m in mail.outbox)
    assert ReminderSent.objects.filter(kind="manual", channel="notice").count() == n
    reporter = as_user(personas["reporter"])
    assert reporter.post(url, {"deadline": deadline.pk}).status_code == 403


def test_remind_one_filtered_unit(contacts, personas, as_user):
    deadline = first_deadline(contacts)
    client = as_user(personas["region_admin"])
    with time_machine.travel(beijing(3, 24, 11), tick=False):
        client.post(reverse("campaign_remind", kwargs={"pk": contacts.pk}),
                    {"deadline": deadline.pk, "unit": "150200", "query": "unit=150200"})
    assert [m.to for m in mail.outbox] == [["150200@example.org"]]


def test_reminder_settings_page(demo, personas, as_user):
    url = reverse("reminder_log", kwargs={"pk": demo.pk})
    admin = as_user(personas["region_admin"])
    response = admin.post(url, {"offsets_text": "48,2", "send_late": "on"})
    assert response.status_code == 302
    options = ReminderSettings.objects.get(campaign=demo)
    assert options.offsets == [48, 2] and options.send_late and not options.send_sms
    assert "不是" in admin.post(url, {"offsets_text": "两小时"}).content.decode()
    reviewer = as_user(personas["reviewer"])
    assert reviewer.get(url).status_code == 200
    assert reviewer.post(url, {"offsets_text": "1"}).status_code == 403
