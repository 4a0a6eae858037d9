"""What a bureau sees of its cascade: each member's state per internal deadline, the
submitted figures of its subtree, and the consolidated workbook of it.

The figures read `progress.reported.bureau_reported` (the rows its counties submitted to it
plus its own as sent to the region): drafts never count, as everywhere else.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from campaigndesk.campaigns.cascade import InternalSubmission
from campaigndesk.campaigns.models import Cascade, CascadeDeadline, Submission
from campaigndesk.campaigns.status import DeadlineStatus, reporting_rate
from campaigndesk.progress import excel_out
from campaigndesk.progress.exports import activity_rows, campaign_notes, last_sent
from campaigndesk.progress.reported import TOTAL_SUMS, bureau_reported, totals_from
from campaigndesk.progress.table import SummaryRow, Totals
from campaigndesk.units.models import Unit


def internal(cascade: Cascade) -> list[CascadeDeadline]:
    return list(cascade.deadlines.select_related("deadline").order_by("due_at", "pk"))


def member_matrix(cascade: Cascade, now: datetime | None = None):
    """[(member, [DeadlineStatus per internal deadline])], one query for the submissions."""
    now = now or timezone.now()
    dues = internal(cascade)
    members = list(cascade.members.order_by("code"))
    submissions = {(s.unit_id, s.deadline_id): s for s in Submission.objects.filter(
        deadline__campaign=cascade.campaign_id, unit__in=members)}
    rows = []
    for unit in members:
        statuses = []
        for due in dues:
            sent = submissions.get((unit.pk, due.deadline_id))
            statuses.append(DeadlineStatus(
                due, unit, InternalSubmission(sent, due.due_at) if sent else None, now))
        rows.append((unit, statuses))
    rates = [reporting_rate(rows, i) for i in range(len(dues))]
    return dues, rows, rates


def missing_members(cascade: Cascade, due: CascadeDeadline) -> list[Unit]:
    """Active members with nothing sent for the deadline yet: whom 催报 reaches."""
    sent = Submission.objects.filter(deadline=due.deadline_id).values("unit_id")
    return list(cascade.members.filter(is_active=True).exclude(pk__in=sent).order_by("code"))


def unit_totals(cascade: Cascade) -> list[tuple[Unit, Totals]]:
    """The bureau's own submitted rows first, then each member's: the subtree by unit."""
    sums = {row["unit_id"]: totals_from(row) for row in
            bureau_reported(cascade.campaign, cascade.bureau).values("unit_id")
            .annotate(**TOTAL_SUMS).order_by()}
    units = [cascade.bureau, *cascade.members.order_by("code")]
    return [(unit, sums.get(unit.pk, Totals())) for unit in units]


def write_workbook(cascade: Cascade, handle, phone_shown=lambda unit, phone: phone) -> None:
    """The consolidated workbook of the bureau's subtree: 汇总 (its own rows and each
    member's, with the state per internal deadline) and one sheet per unit."""
    campaign = cascade.campaign
    dues, rows, _rates = member_matrix(cascade)
    statuses = {unit.pk: [s.cell for s in line] for unit, line in rows}
    lines = unit_totals(cascade)
    summary = [SummaryRow(unit_name=unit.name, activities=t.activities,
                          participants=t.participants, beneficiaries=t.beneficiaries,
                          funds_fen=t.funds_fen, materials_fen=t.materials_fen,
                          statuses=statuses.get(unit.pk, []))
               for unit, t in lines]
    headers = last_sent(campaign)
    sent = bureau_reported(campaign, cascade.bureau)

    def sheets():
        for unit, _t in lines:
            header = headers.get(unit.pk, {"name": "", "phone": "", "filled": None})
            phone = phone_shown(unit, header["phone"]) if header["phone"] else ""
            rows = sent.filter(unit=unit).order_by("deadline__due_at", "position", "pk")
            yield (unit.name, f"{header['name']} {phone}".strip(), header["filled"],
                   activity_rows(rows, campaign))

    excel_out.write_consolidated(
        handle, campaign_title=f"{campaign.title}（{cascade.bureau.name}）",
        deadlines=[f"{d.title}（内部）" for d in dues], summary=summary, unit_sheets=sheets(),
        notes=campaign_notes(campaign))
