"""催报: the department reminds the units still missing for a deadline, at once.

The department may edit the text before it goes; it holds placeholders ({单位}, {报送节点},
{截止时间}, {剩余时间}) filled in for each unit at the moment of sending. The same text is
the on-site notice, the text message and the heart of the e-mail.

Every press is kept (ManualReminder) with what happened per unit and channel
(ReminderOutcome): sent, failed, not configured (and why), or already sent this hour. The
claim that keeps a unit from being reminded twice within the hour is reminders' ReminderSent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, Deadline
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.campaigns.status import format_duration
from campaigndesk.formrows import plain_newlines
from campaigndesk.units.models import Unit

from . import reminders
from .dashboard import missing_units
from .models import (
    ManualReminder,
    OutcomeStatus,
    ReminderChannel,
    ReminderKind,
    ReminderOutcome,
)

DEFAULT_TEXT = ("【催报】{单位}：{报送节点}截止时间为{截止时间}，{剩余时间}。"
                "贵单位尚未报送，请尽快报送。")
PLACEHOLDERS = ("单位", "报送节点", "截止时间", "剩余时间")
# The on-site notice holds 300 characters; a text message longer than that is several.
MAX_CHARS = 300
# Half-width or full-width braces: a Chinese input method types ｛｝.
_PLACEHOLDER = re.compile(r"[{｛]([^{}｛｝]*)[}｝]")


def time_left(deadline: Deadline, now: datetime) -> str:
    if now < deadline.due_at:
        return _("剩余%(left)s") % {"left": format_duration(deadline.due_at - now)}
    return _("已逾期%(over)s") % {"over": format_duration(now - deadline.due_at)}


def fill(text: str, deadline: Deadline, unit: Unit, now: datetime) -> str:
    values = {"单位": unit.name, "报送节点": deadline.title,
              "截止时间": reminders.due_text(deadline), "剩余时间": time_left(deadline, now)}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def placeholder_list() -> str:
    return "、".join(f"{{{name}}}" for name in PLACEHOLDERS)


def clean_text(text: str) -> str:
    """The text as it will be filled in, or ValidationError saying what is wrong with it."""
    text = plain_newlines(text or "").strip()
    if not text:
        raise ValidationError(_("请填写催报内容"))
    unknown = [m.group(0) for m in _PLACEHOLDER.finditer(text)
               if m.group(1).strip() not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(_("催报内容中的“%(name)s”不是可用的占位符；可用的有：%(names)s")
                              % {"name": unknown[0], "names": placeholder_list()})
    # A brace left after the placeholders are taken out is a typo ({单位 or 单位}}): it
    # would reach the bureaus as typed.
    rest = _PLACEHOLDER.sub("", text)
    stray = next((c for c in rest if c in "{}｛｝"), None)
    if stray is not None:
        where = rest.index(stray)
        raise ValidationError(_("催报内容中有不成对的括号“%(brace)s”（在“%(near)s”附近）；"
                                "占位符要写成 %(names)s 这样的完整形式")
                              % {"brace": stray, "near": rest[max(0, where - 6):where + 6],
                                 "names": placeholder_list()})
    return text


def last_text(campaign: Campaign) -> str:
    """What the department sent last time for this campaign, else the default."""
    previous = ManualReminder.objects.filter(campaign=campaign).values_list(
        "text", flat=True).first()
    return previous or DEFAULT_TEXT


def message_for(text: str):
    """The reminders.Message builder for `remind_unit` with the department's text."""
    def build(deadline: Deadline, unit: Unit, now: datetime, link: str) -> reminders.Message:
        filled = fill(text, deadline, unit, now)
        subject = _("【催报】%(unit)s：%(deadline)s") % {"unit": unit.name,
                                                      "deadline": deadline.title}
        body = "\n".join([_("%(unit)s：") % {"unit": unit.name}, "", filled, "",
                          *reminders.mail_tail(deadline, link)])
        return reminders.Message(subject=subject, body=body, short=filled)
    return build


@dataclass(frozen=True)
class Planned:
    """A unit about to be reminded: the text it will read and who each channel reaches."""

    unit: Unit
    text: str
    reach: reminders.Reach


def plan(deadline: Deadline, text: str, *, units=None,
         now: datetime | None = None) -> list[Planned]:
    """The units still missing, what each will read and which channels can reach it.

    Raises ValidationError when the text is wrong or too long for one of the units."""
    now = now or timezone.now()
    text = clean_text(text)
    with_sms = reminders.settings_for(deadline.campaign).send_sms
    planned = [Planned(unit, fill(text, deadline, unit, now),
                       reminders.reach(unit, with_sms=with_sms))
               for unit in missing_units(deadline.campaign, deadline, units)]
    longest = max(planned, key=lambda p: len(p.text), default=None)
    if longest is not None and len(longest.text) > MAX_CHARS:
        raise ValidationError(_(
            "催报内容过长：填入“%(unit)s”后为 %(length)s 字，上限 %(limit)s 字"
            "（站内通知和短信的长度）") % {"unit": longest.unit.name,
                                            "length": len(longest.text), "limit": MAX_CHARS})
    return planned


def hour_stamp(now: datetime) -> int:
    local = timezone.localtime(now)
    return int(f"{local:%Y%m%d%H}")


def remind_now(by, deadline: Deadline, *, text: str = DEFAULT_TEXT, units=None,
               base_url: str = "", now: datetime | None = None) -> ManualReminder | None:
    """Send the 催报 to every unit still missing for `deadline`; None when none is missing.

    Pressing it again within the same hour does not remind a unit again on a channel that
    already went (the hour is the claim's offset); a channel that failed is tried again."""
    ensure_open(deadline.campaign_id)  # a closed campaign reminds nobody
    now = now or timezone.now()
    planned = plan(deadline, text, units=units, now=now)  # refuses before anything leaves
    if not planned:
        return None
    text = clean_text(text)
    with_sms = reminders.settings_for(deadline.campaign).send_sms
    results = [(p.unit, reminders.remind_unit(
        deadline, p.unit, ReminderKind.MANUAL, hour_stamp(now), now=now, base_url=base_url,
        by=by, with_sms=with_sms, compose_with=message_for(text))) for p in planned]
    with transaction.atomic():
        run = ManualReminder.objects.create(
            campaign_id=deadline.campaign_id, deadline=deadline, text=text, sent_at=now,
            sent_by=by if getattr(by, "pk", None) else None)
        ReminderOutcome.objects.bulk_create(
            ReminderOutcome(reminder=run, unit=unit, channel=o.channel, status=o.status,
                            recipients=o.recipients, detail=o.detail[:300])
            for unit, outcomes in results for o in outcomes)
        counts = {channel: sum(1 for _unit, outcomes in results for o in outcomes
                               if o.channel == channel and o.sent)
                  for channel in ReminderChannel.values}
        record(by, "reminder.manual", deadline, changes={
            "units": [unit.name for unit, outcomes in results if any(o.sent for o in outcomes)],
            **counts}, message=text)
    return run


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    cells: list[ReminderOutcome | None]  # in ReminderChannel order

    @property
    def reached(self) -> bool:
        return any(c is not None and c.status == OutcomeStatus.SENT for c in self.cells)


@dataclass(frozen=True)
class Report:
    """A 催报 as the result page shows it: a line per unit, a count per channel."""

    lines: list[UnitLine]
    sent: dict[str, int]  # channel -> units it reached
    problems: dict[str, list[str]]  # channel -> distinct reasons it did not go

    @property
    def reached(self) -> int:
        return sum(1 for line in self.lines if line.reached)

    @property
    def skipped(self) -> int:
        return sum(1 for line in self.lines if all(
            c is None or c.status == OutcomeStatus.ALREADY for c in line.cells))


def report(run: ManualReminder) -> Report:
    channels = list(ReminderChannel.values)
    by_unit: dict[int, UnitLine] = {}
    sent = dict.fromkeys(channels, 0)
    problems: dict[str, list[str]] = {c: [] for c in channels}
    for outcome in run.outcomes.select_related("unit").order_by("unit__code", "pk"):
        line = by_unit.setdefault(outcome.unit_id, UnitLine(outcome.unit, [None] * len(channels)))
        line.cells[channels.index(outcome.channel)] = outcome
        if outcome.status == OutcomeStatus.SENT:
            sent[outcome.channel] += 1
        elif outcome.status != OutcomeStatus.ALREADY and outcome.detail not in problems[
                outcome.channel]:
            problems[outcome.channel].append(outcome.detail)
    return Report(list(by_unit.values()), sent, problems)


def summary_text(result: Report) -> str:
    """One sentence for the message at the top: what went, and what did not."""
    labels = dict(ReminderChannel.choices)
    went = "、".join(_("%(channel)s %(count)s 个单位") % {"channel": labels[c], "count": n}
                    for c, n in result.sent.items() if n)
    missing = "；".join(f"{labels[c]}未发出（{'；'.join(reasons)}）"
                        for c, reasons in result.problems.items()
                        if reasons and not result.sent[c])
    text = _("已向 %(count)s 个未报送单位发送催报：%(went)s") % {"count": result.reached,
                                                            "went": went}
    return f"{text}。{missing}" if missing else text
