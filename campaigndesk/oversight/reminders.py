"""Reminders before and after deadlines, and the channels every reminder goes through
(the dashboard's 催报, in manual.py, uses them too).

`send_due` is what `campaigndesk send_reminders` runs every few minutes. A reminder is
due when the deadline's window for an offset has opened (due_at − offset ≤ now < due_at);
when several windows have opened (the timer was off, or a deadline was added late), only
the nearest offset is sent: the unit gets one mail with the real time left, not three.
After the deadline one "late" reminder goes out, within LATE_WINDOW only, so that the first
run on a fresh server does not remind units about last year's campaign.

Each (deadline, unit, kind, offset, channel) is claimed by inserting its ReminderSent row
before anything leaves (unique constraint): overlapping runs never send twice. A mail
server that is down gives the claim back, so the next run tries again. A channel that can
reach nobody (no SMTP server, no SMS gateway, no address or number on the unit's accounts) is
neither claimed nor sent, and `remind_unit` says why: nothing is reported as sent that was not.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from collections.abc import Callable
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
    OutcomeStatus,
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


def due_text(deadline: Deadline) -> str:
    due = timezone.localtime(deadline.due_at)
    return _("%(month)s月%(day)s日 %(time)s") % {
        "month": due.month, "day": due.day, "time": f"{due:%H:%M}"}


def what_to_send(deadline: Deadline) -> str:
    return _("活动总结") if deadline.kind == DeadlineKind.SUMMARY else _("工作进展情况统计表")


def mail_tail(deadline: Deadline, link: str) -> list[str]:
    """The last lines of every reminder e-mail: what to send, where, and who wrote it."""
    return [
        _("需报送：%(what)s。") % {"what": what_to_send(deadline)},
        _("报送地址：%(link)s") % {"link": link},
        "",
        _("（本邮件由社会工作宣传活动工作台自动发送，请勿直接回复。）"),
    ]


def compose(deadline: Deadline, unit: Unit, now: datetime, link: str) -> Message:
    due = timezone.localtime(deadline.due_at)
    when = due_text(deadline)
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
        *mail_tail(deadline, link),
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
                Notice.objects.create(unit=unit, campaign_id=deadline.campaign_id,
                                      text=notice.short, link=link)
    except IntegrityError:
        return None
    return claim


# Django's backends that deliver nothing: with them an e-mail "sent" would be a lie.
NOT_DELIVERING = {"django.core.mail.backends.console.EmailBackend",
                  "django.core.mail.backends.dummy.EmailBackend"}


def mail_configured() -> bool:
    return settings.EMAIL_BACKEND not in NOT_DELIVERING


@dataclass(frozen=True)
class Reach:
    """Who a unit's reminder can reach, and for a channel that cannot go, why not."""

    emails: list[str]
    phones: list[str]
    email_gap: str
    sms_gap: str


def reach(unit: Unit, *, with_sms: bool) -> Reach:
    users = getattr(unit, "active_users", None)  # prefetched by missing_units
    if users is None:
        users = list(unit.users.filter(is_active=True))
    emails = sorted({u.email for u in users if u.email})
    phones = sorted({normalise_phone(u.phone) for u in users if u.phone})
    email_gap = sms_gap = ""
    if not mail_configured():
        email_gap = _("未配置邮件服务器（EMAIL_HOST），邮件不会发出")
    elif not emails:
        email_gap = _("本单位账号未填写电子邮箱")
    if not with_sms:
        sms_gap = _("提醒设置中未开启短信")
    elif not sms.configured():
        sms_gap = _("未配置短信网关（CAMPAIGNDESK_SMS_BACKEND），短信不会发出")
    elif not phones:
        sms_gap = _("本单位账号未填写手机号码")
    return Reach(emails, phones, email_gap, sms_gap)


@dataclass(frozen=True)
class Outcome:
    """What one reminder did on one channel: OutcomeStatus, how many people, and why."""

    channel: str
    status: str
    recipients: int = 0
    detail: str = ""

    @property
    def sent(self) -> bool:
        return self.status == OutcomeStatus.SENT


def _already(channel: str) -> Outcome:
    return Outcome(channel, OutcomeStatus.ALREADY)


def remind_unit(deadline: Deadline, unit: Unit, kind: str, offset: int, *, now: datetime,
                base_url: str = "", by=None, with_sms: bool = True,
                compose_with: Callable[..., Message] | None = None) -> list[Outcome]:
    """Every channel of one reminder to one unit: what each channel did (or why it did not)."""
    path = link_for(deadline, unit)
    message = (compose_with or compose)(deadline, unit, now, f"{base_url.rstrip('/')}{path}")
    ways = reach(unit, with_sms=with_sms)
    outcomes = []
    if _claim(deadline, unit, kind, offset, ReminderChannel.NOTICE, now, by, 1,
              notice=message, link=path):
        outcomes.append(Outcome(ReminderChannel.NOTICE, OutcomeStatus.SENT, 1))
    else:
        outcomes.append(_already(ReminderChannel.NOTICE))
    outcomes.append(_send(deadline, unit, kind, offset, now, by, ReminderChannel.EMAIL,
                          ways.emails, ways.email_gap,
                          lambda: send_mail(message.subject, message.body,
                                            settings.DEFAULT_FROM_EMAIL, ways.emails)))
    outcomes.append(_send(deadline, unit, kind, offset, now, by, ReminderChannel.SMS,
                          ways.phones, ways.sms_gap,
                          lambda: _text_all(ways.phones, message.short)))
    return outcomes


def _text_all(phones: list[str], text: str) -> None:
    backend = sms.get_backend()
    for phone in phones:
        backend.send(phone, text)


def _send(deadline, unit, kind, offset, now, by, channel: str, recipients: list[str],
          gap: str, deliver: Callable[[], None]) -> Outcome:
    """Claim, deliver, and give the claim back when delivery fails (the next run retries)."""
    if gap:
        return Outcome(channel, OutcomeStatus.NOT_CONFIGURED, detail=gap)
    claim = _claim(deadline, unit, kind, offset, channel, now, by, len(recipients))
    if claim is None:
        return _already(channel)
    try:
        deliver()
    except (OSError, smtplib.SMTPException) as exc:
        logger.exception("提醒发送失败（%s），下次运行时重试：%s", channel, unit)
        claim.delete()
        return Outcome(channel, OutcomeStatus.FAILED, detail=_(
            "发送失败，可稍后再次催报重试（%(error)s）") % {"error": str(exc)[:200]})
    return Outcome(channel, OutcomeStatus.SENT, len(recipients))


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
                for outcome in remind_unit(due.deadline, unit, due.kind, due.offset, now=now,
                                           base_url=base_url, with_sms=with_sms):
                    if outcome.sent:
                        campaign_sent[outcome.channel] += 1
        if campaign_sent:
            record(None, "reminder.send", campaign, changes=dict(campaign_sent),
                   username="send_reminders")
            sent.update(campaign_sent)
    return sent
