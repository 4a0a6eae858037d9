"""Setting up, copying and closing campaigns. Each function is one transaction with an
audit entry; `ensure_open` is the one guard every write service of a campaign calls first."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigndesk.audit.services import diff, record
from campaigndesk.core.concurrency import check_version
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows

from .limits import YEARS, campaign_problems, year_problem
from .lists import ContactData, DeadlineData, save_contacts, save_deadlines, save_vocabulary
from .models import Campaign, Deadline, VocabularyKind

CAMPAIGN_FIELDS = ("year", "title", "document_number", "slogan", "start_date", "end_date",
                   "notice_text", "min_photos", "brief_length", "brief_min_length",
                   "brief_max_length")


CLOSED_MESSAGE = gettext_lazy("本次活动已结束（已关闭），不能再修改")


class CampaignClosed(ValidationError):
    """A write to a closed campaign. A ValidationError, so that views that show a
    service's refusal show this one too; campaigns.middleware answers the rest."""

    def __init__(self):
        super().__init__(str(CLOSED_MESSAGE), code="campaign_closed")

    def __str__(self) -> str:  # the sentence itself, not ValidationError's list form
        return self.messages[0]


def ensure_open(campaign: Campaign | int) -> None:
    """Refuse any change to a closed campaign. Read fresh from the database, not from the
    caller's object, which may have been loaded before the campaign was closed."""
    pk = campaign if isinstance(campaign, int) else campaign.pk
    if Campaign.objects.filter(pk=pk, closed_at__isnull=False).exists():
        raise CampaignClosed


def snapshot(campaign: Campaign) -> dict:
    data = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    data["participants"] = sorted(u.name for u in campaign.participants.all())
    data["vocabulary"] = {
        kind: [i.label for i in campaign.vocabulary_items.all() if i.kind == kind]
        for kind in sorted({i.kind for i in campaign.vocabulary_items.all()})
    }
    data["contacts"] = [
        f"{c.name} {c.office} {c.phone} {c.email}".strip() for c in campaign.contacts.all()
    ]
    data["deadlines"] = [
        f"{d.get_kind_display()} {d.title} {timezone.localtime(d.due_at):%Y-%m-%d %H:%M}"
        for d in campaign.deadlines.all()
    ]
    return data


def _save_lists(
    campaign: Campaign,
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
) -> list[str]:
    """The campaign's lists, edited in place (see campaigns.lists); the renames made."""
    renames = save_vocabulary(campaign, vocabulary)
    save_contacts(campaign, contacts)
    save_deadlines(campaign, deadlines)
    return renames


def _check_limits(campaign: Campaign, deadlines: list[DeadlineData]) -> None:
    """campaigns.limits on the campaign as it is about to be saved."""
    problems = campaign_problems(
        {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}, deadlines)
    if problems:
        raise ValidationError(problems)


def _new_campaign(fields: Mapping, participants: Iterable[Unit],
                  vocabulary: Mapping[str, Iterable[str]], contacts: Iterable[ContactData],
                  deadlines: Iterable[DeadlineData]) -> Campaign:
    campaign = Campaign(**fields)
    deadlines = list(deadlines)
    _check_limits(campaign, deadlines)
    campaign.full_clean()
    campaign.save()
    campaign.participants.set(participants)
    _save_lists(campaign, vocabulary, contacts, deadlines)
    return campaign


@transaction.atomic
def create_campaign(
    by,
    *,
    fields: Mapping,
    participants: Iterable[Unit],
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
) -> Campaign:
    campaign = _new_campaign(fields, participants, vocabulary, contacts, deadlines)
    record(by, "campaign.create", campaign, changes=diff({}, snapshot(campaign)))
    return campaign


@transaction.atomic
def update_campaign(
    by,
    campaign: Campaign,
    *,
    fields: Mapping,
    participants: Iterable[Unit],
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
    expected_version: int | None = None,
) -> Campaign:
    ensure_open(campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, expected_version)
    before = snapshot(campaign)
    for name, value in fields.items():
        setattr(campaign, name, value)
    deadlines = list(deadlines)
    _check_limits(campaign, deadlines)
    campaign.full_clean()
    campaign.save()
    campaign.participants.set(participants)
    renames = _save_lists(campaign, vocabulary, contacts, deadlines)
    changes = diff(before, snapshot(campaign))
    if changes:
        campaign.version += 1
        campaign.save(update_fields=["version"])
        record(by, "campaign.update", campaign, changes=changes, message="；".join(renames))
    return campaign


def _shift_year(value: date, years: int) -> date | None:
    """`value` moved by whole years; None when that leaves the calendar (a campaign saved
    with odd dates before the forms checked them), which plan_copy reports."""
    target = value.year + years
    if not date.min.year <= target <= date.max.year:
        return None
    try:
        return value.replace(year=target)
    except ValueError:  # 29 February into a common year
        return value.replace(year=target, day=28)


def _shift_moment(moment: datetime, years: int) -> datetime | None:
    """The same Beijing wall-clock time on the same day, `years` later (None: see above)."""
    try:
        local = timezone.localtime(moment)
    except OverflowError:  # a moment near 9999-12-31 that Beijing time puts past it
        return None
    day = _shift_year(local.date(), years)
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


@dataclass
class CopyPlan:
    """What copying `source` into `year` will create: shown on the copy page before
    anything is saved, and exactly what copy_campaign then saves."""

    source: Campaign
    fields: dict
    participants: list[Unit]
    vocabulary: dict[str, list[str]]
    contacts: list[ContactData]
    # (the source's deadline, the new one): the page shows both dates.
    moves: list[tuple[Deadline, DeadlineData]]
    problems: list[str] = field(default_factory=list)

    @property
    def years(self) -> int:
        return self.fields["year"] - self.source.year

    @property
    def deadlines(self) -> list[DeadlineData]:
        return [new for _old, new in self.moves]

    def vocabulary_lists(self) -> list[tuple[str, list[str]]]:
        return [(str(VocabularyKind(kind).label), labels)
                for kind, labels in self.vocabulary.items()]


# A note in the title about this copy only, not about the campaign ("（演示：日期已平移到
# 今天）" on the demo's live copy): a copy for next year must not carry it.
_TITLE_NOTE = re.compile(r"（演示[^）]*）")


def default_title(source: Campaign, year: int) -> str:
    title = _TITLE_NOTE.sub("", source.title).strip()
    return title.replace(str(source.year), str(year))


def plan_copy(source: Campaign, *, year: int | None = None, title: str = "") -> CopyPlan:
    """The copy of `source` for `year` (default: the year after it): the same lists,
    contacts, participants and settings; dates and deadlines moved by whole years; no
    文号 (the new notice has its own). `problems` says in Chinese what stops the copy."""
    year = source.year + 1 if year is None else year
    title = (title or "").strip() or default_title(source, year)
    years = year - source.year
    fields = {name: getattr(source, name) for name in CAMPAIGN_FIELDS}
    fields.update(year=year, title=title, document_number="",
                  start_date=_shift_year(source.start_date, years),
                  end_date=_shift_year(source.end_date, years))
    vocabulary: dict[str, list[str]] = {}
    for item in source.vocabulary_items.all():
        vocabulary.setdefault(item.kind, []).append(item.label)
    plan = CopyPlan(
        source=source, fields=fields,
        participants=list(source.participants.order_by("code")),
        vocabulary=vocabulary,
        contacts=[ContactData(c.name, c.office, c.phone, c.email) for c in source.contacts.all()],
        moves=[(d, DeadlineData(kind=d.kind, title=d.title,
                                due_at=_shift_moment(d.due_at, years)))
               for d in source.deadlines.all()])
    if year not in YEARS:
        plan.problems.append(year_problem(year))
    if len(title) > Campaign._meta.get_field("title").max_length:
        plan.problems.append(_("活动名称过长（最多 200 字）"))
    elif Campaign.objects.filter(year=year, title=title).exists():
        plan.problems.append(_("已有%(year)s年度的“%(title)s”，请换一个活动名称或年度") % {
            "year": year, "title": title})
    if year in YEARS:
        plan.problems.extend(_copy_date_problems(plan))
    return plan


def _copy_date_problems(plan: CopyPlan) -> list[str]:
    """Dates the copy cannot take over as they are: moved off the calendar, or outside
    the new year's window (campaigns.limits)."""
    fix = _("请先在原活动中改正")
    problems = [
        _("%(field)s（%(value)s）顺延 %(years)s 年后超出日期范围，%(fix)s") % {
            "field": label, "value": getattr(plan.source, name), "years": plan.years,
            "fix": fix}
        for name, label in (("start_date", _("开始日期")), ("end_date", _("结束日期")))
        if plan.fields[name] is None]
    problems += [
        _("报送节点“%(title)s”的截止时间顺延 %(years)s 年后超出日期范围，%(fix)s") % {
            "title": old.title, "years": plan.years, "fix": fix}
        for old, new in plan.moves if new.due_at is None]
    problems += [f"{problem}，{fix}" for problem in campaign_problems(
        plan.fields, [new for _old, new in plan.moves if new.due_at is not None])]
    return problems


@transaction.atomic
def copy_campaign(by, source: Campaign, *, year: int | None = None, title: str = "") -> Campaign:
    """Last year's campaign as the starting point for this year's (see plan_copy). One
    audit entry, campaign.copy, with everything the new campaign holds."""
    plan = plan_copy(source, year=year, title=title)
    if plan.problems:
        raise ValidationError(plan.problems)
    campaign = _new_campaign(plan.fields, plan.participants, plan.vocabulary, plan.contacts,
                             plan.deadlines)
    record(by, "campaign.copy", campaign, changes=diff({}, snapshot(campaign)),
           message=f"复制自“{source.title}”")
    return campaign


def _may_close(by) -> None:
    if not allows(by, Action.CLOSE_CAMPAIGNS):
        raise PermissionDenied


@transaction.atomic
def close_campaign(by, campaign: Campaign, reason: str) -> Campaign:
    """End a campaign: from now on nothing of it can be changed (ensure_open), late
    reports included. A region administrator can reopen it."""
    _may_close(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_closed:
        raise ValidationError(_("本次活动已关闭"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写关闭原因"))
    campaign.closed_at = timezone.now()
    campaign.closed_by = by
    campaign.closed_reason = reason[:200]
    campaign.save(update_fields=["closed_at", "closed_by", "closed_reason"])
    record(by, "campaign.close", campaign, message=reason)
    return campaign


@transaction.atomic
def reopen_campaign(by, campaign: Campaign, reason: str) -> Campaign:
    """Undo a close made too early (e.g. a unit still has to correct a report)."""
    _may_close(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_closed:
        raise ValidationError(_("本次活动未关闭"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开放的原因"))
    before = {"closed_at": campaign.closed_at, "closed_reason": campaign.closed_reason}
    campaign.closed_at, campaign.closed_by, campaign.closed_reason = None, None, ""
    campaign.save(update_fields=["closed_at", "closed_by", "closed_reason"])
    record(by, "campaign.reopen", campaign, message=reason,
           changes=diff(before, {"closed_at": None, "closed_reason": ""}))
    return campaign
