"""Reminders before and after deadlines, and the dashboard's 催报.

`send_due` is what `campaigndesk send_reminders` runs every few minutes. A reminder is
due when the deadline's window for an offset has opened (due_at − offset ≤ now < due_at);
when several windows have opened (the timer was off, or a deadline was added late), only
the nearest offset is sent: the unit gets one mail with the real time left, not three.
After the deadline one "late" reminder goes out, within LATE_WINDOW only, so that the first
run on a fresh server does not remind units about last year's campaign.

Each (deadline, unit, kind, offset, channel) is claimed by inserting its ReminderSent row
before anything leaves (unique constraint): overlapping runs never send twice. A mail
server that is down gives the claim back, so the next run tries again.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.articles.models import Notice
from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, Deadline, DeadlineKind
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.campaigns.status import format_duration
from campaigndesk.progress.services import normalise_phone
from campaigndesk.units.models import Unit

from . import sms
from .dashboard import missing_units
from .models import (
    DEFAULT_OFFSETS,
    ReminderChannel,
    ReminderKind,
    ReminderSent,
    ReminderSettings,
)

logger = logging.getLogger(__name__)
LATE_WINDOW = timedelta(days=7)
LOOKAHEAD = timedelta(days=31)  # offsets are capped at 720 hours (30 days)


@dataclass(frozen=True)
class Due:
    deadline: Deadline
    kind: str
    offset: int


def settings_for(campaign: Campaign) -> ReminderSettings:
    try:
        return campaign.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(campaign=campaign)


@transaction.atomic
def save_settings(by, campaign: Campaign, *, offsets: list[int], send_late: bool,
                  send_sms: bool) -> ReminderSettings:
    """Store the campaign's reminder choices (no offsets: the defaults) and audit the change."""
    ensure_open(campaign)
    options, _created = (ReminderSettings.objects.select_for_update()
                         .get_or_create(campaign=campaign))
    before = (options.offsets_text, options.send_late, options.send_sms)
    options.offsets_text = ",".join(str(h) for h in offsets) or DEFAULT_OFFSETS
    options.send_late = send_late
    options.send_sms = send_sms
    options.save()
    record(by, "reminder.settings", campaign, changes={
        "offsets": [before[0], options.offsets_text],
        "late": [before[1], options.send_late], "sms": [before[2], options.send_sms]})
    return options


def due_reminders(campaign: Campaign, now: datetime) -> list[Due]:
    options = settings_for(campaign)
    result = []
    for deadline in campaign.deadlines.all():
        if now < deadline.due_at:
            opened = [h for h in options.offsets if deadline.due_at - timedelta(hours=h) <= now]
            if opened:
                result.append(Due(deadline, ReminderKind.BEFORE, min(opened)))
        elif options.send_late and now - deadline.due_at <= LATE_WINDOW:
            result.append(Due(deadline, ReminderKind.LATE, 0))
    return result


def link_for(deadline: Deadline, unit: Unit) -> str:
    if deadline.kind == DeadlineKind.SUMMARY:
        return reverse("unit_summary", kwargs={"campaign_pk": deadline.campaign_id,
                                               "code": unit.code})
    return reverse("campaign_unit_progress", kwargs={"campaign_pk": deadline.campaign_id,
                                                     "code": unit.code})


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    short: str  # the notice and the text message


def compose(deadline: Deadline, unit: Unit, now: datetime, link: str) -> Message:
    due = timezone.localtime(deadline.due_at)
    when = _("%(month)s月%(day)s日 %(time)s") % {
        "month": due.month, "day": due.day, "time": f"{due:%H:%M}"}
    what = _("活动总结") if deadline.kind == DeadlineKind.SUMMARY else _("工作进展情况统计表")
    names = {"unit": unit.name, "deadline": deadline.title, "when": when}
    if now < deadline.due_at:
        head = _("【报送提醒】%(unit)s：%(deadline)s将于%(when)s截止，剩余%(left)s") % {
            **names, "left": format_duration(deadline.due_at - now)}
        ask = _("贵单位尚未报送，请尽快报送。")
    else:
        head = _("【逾期提醒】%(unit)s：%(deadline)s已于%(when)s截止，已逾期%(over)s") % {
            **names, "over": format_duration(now - deadline.due_at)}
        ask = _("贵单位尚未报送，请尽快补报，逾期报送将在汇总中标注。")
    campaign = deadline.campaign
    body = "\n".join([
        _("%(unit)s：") % {"unit": unit.name},
        "",
        _("%(campaign)s（%(slogan)s）的“%(deadline)s”截止时间为%(due)s（北京时间）。") % {
            "campaign": campaign.title, "slogan": campaign.slogan, "deadline": deadline.title,
            "due": f"{due:%Y年%m月%d日 %H:%M}"},
        f"{head.split('：', 1)[1]}。{ask}",
        _("需报送：%(what)s。") % {"what": what},
        _("报送地址：%(link)s") % {"link": link},
        "",
        _("（本邮件由社会工作宣传活动工作台自动发送，请勿直接回复。）"),
    ])
    return Message(subject=head, body=body, short=f"{head}，{ask}"[:300])


def _claim(deadline: Deadline, unit: Unit, kind: str, offset: int, channel: str, now: datetime,
           by, recipients: int, notice: Message | None = None, link: str = ""):
    """Insert the ReminderSent row (and the notice with it); None if it was already sent."""
    try:
        with transaction.atomic():
            claim = ReminderSent.objects.create(
                campaign_id=deadline.campaign_id, deadline=deadline, unit=unit, kind=kind,
                offset=offset, channel=channel, recipients=recipients, sent_at=now,
                sent_by=by if getattr(by, "pk", None) else None)
            if notice is not None:
                Notice.objects.create(unit=unit, text=notice.short, link=link)
    except IntegrityError:
        return None
    return claim


def remind_unit(deadline: Deadline, unit: Unit, kind: str, offset: int, *, now: datetime,
                base_url: str = "", by=None, with_sms: bool = True) -> list[str]:
    """Every channel of one reminder to one unit; returns the channels actually sent."""
    path = link_for(deadline, unit)
    message = compose(deadline, unit, now, f"{base_url.rstrip('/')}{path}")
    users = getattr(unit, "active_users", None)  # prefetched by missing_units
    if users is None:
        users = list(unit.users.filter(is_active=True))
    emails = sorted({u.email for u in users if u.email})
    phones = sorted({normalise_phone(u.phone) for u in users if u.phone})
    sent = []
    if _claim(deadline, unit, kind, offset, ReminderChannel.NOTICE, now, by, 1,
              notice=message, link=path):
        sent.append(ReminderChannel.NOTICE)
    if emails:
        claim = _claim(deadline, unit, kind, offset, ReminderChannel.EMAIL, now, by, len(emails))
        if claim is not None:
            try:
                send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, emails)
            except (OSError, smtplib.SMTPException):
                logger.exception("提醒邮件发送失败，下次运行时重试：%s", emails)
                claim.delete()
            else:
                sent.append(ReminderChannel.EMAIL)
    if with_sms and phones:
        claim = _claim(deadline, unit, kind, offset, ReminderChannel.SMS, now, by, len(phones))
        if claim is not None:
            backend = sms.get_backend()
            try:
                for phone in phones:
                    backend.send(phone, message.short)
            except OSError:
                logger.exception("提醒短信发送失败，下次运行时重试：%s", unit)
                claim.delete()
            else:
                sent.append(ReminderChannel.SMS)
    return sent


def send_due(now: datetime | None = None, *, base_url: str | None = None) -> Counter:
    """One run of the timer: every due reminder of every campaign, each sent once."""
    now = now or timezone.now()
    if base_url is None:
        base_url = getattr(settings, "CAMPAIGNDESK_SITE_URL", "")
    sent: Counter = Counter()
    # A closed campaign reminds nobody: nothing can be sent to it any more.
    campaigns = Campaign.objects.open().filter(
        deadlines__due_at__gte=now - LATE_WINDOW,
        deadlines__due_at__lte=now + LOOKAHEAD).distinct()
    for campaign in campaigns:
        with_sms = settings_for(campaign).send_sms
        campaign_sent: Counter = Counter()
        for due in due_reminders(campaign, now):
            for unit in missing_units(campaign, due.deadline):
                for channel in remind_unit(due.deadline, unit, due.kind, due.offset, now=now,
                                           base_url=base_url, with_sms=with_sms):
                    campaign_sent[channel] += 1
        if campaign_sent:
            record(None, "reminder.send", campaign, changes=dict(campaign_sent),
                   username="send_reminders")
            sent.update(campaign_sent)
    return sent


def hour_stamp(now: datetime) -> int:
    local = timezone.localtime(now)
    return int(f"{local:%Y%m%d%H}")


def remind_now(by, deadline: Deadline, *, units=None, base_url: str = "",
               now: datetime | None = None) -> tuple[int, int]:
    """The dashboard's 催报: remind the units still missing for `deadline` at once.

    Returns (units reminded, units skipped because they were reminded this hour)."""
    ensure_open(deadline.campaign_id)
    now = now or timezone.now()
    campaign = deadline.campaign
    with_sms = settings_for(campaign).send_sms
    reminded = skipped = 0
    names = []
    for unit in missing_units(campaign, deadline, units):
        channels = remind_unit(deadline, unit, ReminderKind.MANUAL, hour_stamp(now), now=now,
                               base_url=base_url, by=by, with_sms=with_sms)
        if channels:
            reminded += 1
            names.append(unit.name)
        else:
            skipped += 1
    if reminded:
        record(by, "reminder.manual", deadline, changes={"units": names})
    return reminded, skipped
