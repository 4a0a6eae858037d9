"""A bureau's part of the campaign opened to its counties (issue 17 point 1: 县 → 盟市 → 自治区).

`open_cascade` is the one transition that opens or changes it: which units under the bureau
take part and the bureau's internal deadline for each of the region's deadlines (always
before the region's: the bureau needs the time to check and forward). One transaction,
one audit entry (`cascade.open` the first time, `cascade.update` after).

`cascade_of` answers "whom does this unit report to in this campaign": a member's reports
and briefs go to its bureau, a bureau's (and every unit outside a cascade) to the region.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.core.concurrency import check_version
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows

from .models import Campaign, Cascade, CascadeDeadline, Deadline, Submission
from .services import ensure_open
from .status import DeadlineStatus


def cascade_of(campaign: Campaign | int, unit: Unit) -> Cascade | None:
    """The cascade the unit is a member of in the campaign (it reports to that bureau), or
    None (it reports to the region)."""
    pk = campaign if isinstance(campaign, int) else campaign.pk
    return (Cascade.objects.filter(campaign_id=pk, members=unit)
            .select_related("bureau").first())


def bureau_cascade(campaign: Campaign | int, bureau: Unit) -> Cascade | None:
    """The cascade the bureau opened in the campaign, if it did."""
    pk = campaign if isinstance(campaign, int) else campaign.pk
    return Cascade.objects.filter(campaign_id=pk, bureau=bureau).first()


def internal_deadlines(cascade: Cascade) -> dict[int, CascadeDeadline]:
    """{region deadline id: the bureau's internal deadline}."""
    return {d.deadline_id: d for d in cascade.deadlines.select_related("deadline")}


def due_for(deadline: Deadline, unit: Unit) -> datetime:
    """When the unit must have sent the deadline: its bureau's internal time for a member,
    the region's for everyone else."""
    cascade = cascade_of(deadline.campaign_id, unit)
    if cascade is not None:
        internal = cascade.deadlines.filter(deadline=deadline).first()
        if internal is not None:
            return internal.due_at
    return deadline.due_at


def eligible_members(bureau: Unit):
    """The units a bureau may open its part to: active units under it, itself excepted."""
    return (Unit.objects.under(bureau).active().exclude(pk=bureau.pk)
            .order_by("report_path", "code"))


def _check_dues(campaign: Campaign, dues: Mapping[int, datetime | None]) -> dict[int, datetime]:
    deadlines = {d.pk: d for d in campaign.deadlines.all()}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, datetime] = {}
    for deadline in deadlines.values():
        due = dues.get(deadline.pk)
        field = f"due_{deadline.pk}"
        if due is None:
            errors[field] = [_("请填写“%(title)s”的内部截止时间") % {"title": deadline.title}]
        elif due >= deadline.due_at:
            region = timezone.localtime(deadline.due_at)
            errors[field] = [_("“%(title)s”的内部截止时间必须早于自治区的截止时间"
                               "（%(due)s），以便留出审核和汇总报送的时间") % {
                "title": deadline.title, "due": f"{region:%-m月%-d日 %H:%M}"}]
        else:
            cleaned[deadline.pk] = due
    unknown = set(dues) - set(deadlines)
    if unknown:
        errors["deadlines"] = [_("报送节点不属于本次活动")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def open_cascade(by, campaign: Campaign, bureau: Unit, *, members: Iterable[Unit],
                 dues: Mapping[int, datetime | None],
                 expected_version: int | None = None) -> Cascade:
    """Open (or change) the bureau's part of the campaign: `members` take part and report to
    the bureau by `dues` ({region deadline id: internal due time})."""
    if not allows(by, Action.RUN_CASCADE, bureau):
        raise PermissionDenied
    ensure_open(campaign)
    if not bureau.is_reporting or not campaign.participants.filter(pk=bureau.pk).exists():
        raise ValidationError(_("只有参加本次活动、直接向自治区报送的盟市民政局可以组织旗县区参加"))
    members = list(members)
    allowed = set(eligible_members(bureau).values_list("pk", flat=True))
    outside = [u.name for u in members if u.pk not in allowed]
    if outside:
        raise ValidationError({"members": [_("“%(name)s”不是本局下属的单位") % {
            "name": "、".join(outside)}]})
    if not members:
        raise ValidationError({"members": [_("请至少选择一个参加的旗县区")]})
    cleaned = _check_dues(campaign, dues)
    cascade = Cascade.objects.select_for_update().filter(campaign=campaign, bureau=bureau).first()
    created = cascade is None
    if created:
        cascade = Cascade.objects.create(campaign=campaign, bureau=bureau, opened_by=by)
        before_members, before_dues = [], {}
    else:
        check_version(cascade, expected_version)
        before_members = sorted(cascade.members.values_list("name", flat=True))
        before_dues = {d.deadline.title: _local(d.due_at)
                       for d in cascade.deadlines.select_related("deadline")}
        # A unit that already sent something to the bureau stays a member: its rows are in
        # the bureau's report and the region's figures.
        kept = [u for u in cascade.members.all() if u.pk not in {m.pk for m in members}
                and u.progress_reports.filter(deadline__campaign=campaign,
                                              versions__isnull=False).exists()]
        if kept:
            message = _("“%(name)s”已向本局报送过工作进展，不能取消参加")
            raise ValidationError({"members": [message % {
                "name": "、".join(u.name for u in kept)}]})
        cascade.version += 1
        cascade.save(update_fields=["version"])
    cascade.members.set(members)
    for deadline_id, due in cleaned.items():
        CascadeDeadline.objects.update_or_create(cascade=cascade, deadline_id=deadline_id,
                                                 defaults={"due_at": due})
    after_dues = {d.deadline.title: _local(d.due_at)
                  for d in cascade.deadlines.select_related("deadline")}
    after_members = sorted(u.name for u in members)
    changes = {}
    if before_members != after_members:
        changes["members"] = [before_members, after_members]
    if before_dues != after_dues:
        changes["deadlines"] = [before_dues, after_dues]
    if created or changes:
        record(by, "cascade.open" if created else "cascade.update", cascade, changes=changes,
               message=_("%(bureau)s组织旗县区参加：%(members)s") % {
                   "bureau": bureau.name, "members": "、".join(after_members)})
    return cascade


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class InternalSubmission:
    """A member's submission judged against its bureau's internal deadline, not the
    region's: the same attributes DeadlineStatus reads."""

    submission: Submission
    due_at: datetime

    @property
    def submitted_at(self) -> datetime:
        return self.submission.submitted_at

    @property
    def submitted_by(self):
        return self.submission.submitted_by

    @property
    def reopened_at(self):
        return self.submission.reopened_at

    @property
    def by_mail(self) -> bool:
        return self.submission.by_mail

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.due_at

    @property
    def delay(self) -> timedelta:
        return max(self.submitted_at - self.due_at, timedelta(0))


def member_statuses(cascade: Cascade, unit: Unit, now: datetime | None = None):
    """A member's DeadlineStatus per internal deadline: its home page says when its bureau
    wants each round, and on time or late against that."""
    now = now or timezone.now()
    sent = {s.deadline_id: s for s in Submission.objects.filter(
        unit=unit, deadline__campaign=cascade.campaign_id)}
    return [DeadlineStatus(due, unit, InternalSubmission(sent[due.deadline_id], due.due_at)
                           if due.deadline_id in sent else None, now)
            for due in cascade.deadlines.select_related("deadline").order_by("due_at", "pk")]
