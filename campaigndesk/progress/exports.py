"""From the database to the Excel writers: one row iterator, several outputs."""

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, Submission, VocabularyKind
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.units.models import Unit

from . import excel_out
from .models import Activity, Report, ReportVersion
from .services import (
    TOTAL_SUMS,
    Totals,
    progress_deadlines,
    row_from_json,
    totals_from,
)
from .table import ActivityRow, SummaryRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def activity_rows(activities, campaign: Campaign) -> Iterator[ActivityRow]:
    """One ActivityRow per activity, in the queryset's order, in one pass over the database:
    the service areas come from one query on the tag table (item ids, no join), named from
    the campaign's short vocabulary, instead of one query per activity."""
    vocabulary = {
        pk: (position, label)
        for pk, position, label in campaign.vocabulary_items.filter(
            kind=VocabularyKind.SERVICE_AREA).values_list("pk", "position", "label")
    }
    areas: dict[int, list[int]] = defaultdict(list)
    for activity_id, item_id in (
        Activity.tags.through.objects.filter(activity__in=activities.order_by(),
                                              vocabularyitem_id__in=list(vocabulary))
        .values_list("activity_id", "vocabularyitem_id").iterator(chunk_size=5000)
    ):
        areas[activity_id].append(item_id)
    fields = ("pk", "name", "organizations", "participants", "start_date", "end_date",
              "location", "content", "service_other", "beneficiaries", "funds_fen",
              "materials_fen", "remarks")
    for values in activities.values_list(*fields).iterator(chunk_size=5000):
        (pk, name, organizations, participants, start, end, location, content, other,
         beneficiaries, funds, materials, remarks) = values
        ids = areas.get(pk, ())
        yield ActivityRow(
            name=name, organizations=organizations, participants=participants, start=start,
            end=end, location=location, content=content,
            service_areas=[vocabulary[i][1] for i in sorted(ids, key=lambda i: vocabulary[i])],
            service_other=other, beneficiaries=beneficiaries, funds_fen=funds,
            materials_fen=materials, remarks=remarks)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def template_response() -> HttpResponse:
    out = BytesIO()
    excel_out.write_template(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX),
                       "附件1-盟市社会工作主题宣传活动工作进展情况统计表.xlsx")


def report_response(user, report: Report, version: ReportVersion | None) -> HttpResponse:
    if version is not None:
        data = version.snapshot
        rows = [row_from_json(item) for item in data["activities"]]
        name, phone, filled = data["reporter_name"], data["reporter_phone"], data["filled_date"]
    else:
        rows = list(activity_rows(report.activities.live().order_by("position"),
                                  report.deadline.campaign))
        name, phone = report.reporter_name, report.reporter_phone
        filled = report.filled_date.isoformat() if report.filled_date else None
    out = BytesIO()
    excel_out.write_unit_report(out, unit_name=report.unit.name, reporter_name=name,
                                reporter_phone=phone, filled_date=filled, rows=rows)
    suffix = f"-第{version.number}版" if version else ""
    record(user, "progress.export", report, message=f"下载{report.deadline.title}{suffix}")
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX),
                       f"{report.unit.name}-{report.deadline.title}{suffix}.xlsx")


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    rounds: list[tuple[Totals, Totals]]  # (this round, cumulative) per progress deadline
    statuses: list[str]  # one per deadline of the campaign


def round_table(campaign: Campaign) -> dict:
    """Each reporting unit's figures per round and cumulative, and its status per deadline:
    the department's view, the same numbers as the consolidated workbook."""
    now = timezone.now()
    deadlines = list(campaign.deadlines.all())
    progress = progress_deadlines(campaign)
    submissions = {(s.unit_id, s.deadline_id): s
                   for s in Submission.objects.filter(deadline__campaign=campaign)
                   .select_related("deadline")}
    live = Activity.objects.live().filter(campaign=campaign)
    per_round = {
        (row["unit_id"], row["report__deadline_id"]): totals_from(row)
        for row in live.values("unit_id", "report__deadline_id").annotate(**TOTAL_SUMS)
        .order_by()
    }
    lines = []
    for unit in campaign.participants.order_by("code"):
        rounds, running = [], Totals()
        for d in progress:
            this = per_round.get((unit.pk, d.pk), Totals())
            running = running + this
            rounds.append((this, running))
        statuses = [DeadlineStatus(d, unit, submissions.get((unit.pk, d.pk)), now).cell
                    for d in deadlines]
        lines.append(UnitLine(unit, rounds, statuses))
    # Every activity hangs on its unit's report for a progress deadline of its campaign
    # (services.current_report is the only way in), so the campaign total is the sum of the
    # units' cumulative figures, without another query.
    total = sum((line.rounds[-1][1] for line in lines if line.rounds), Totals())
    return {"deadlines": deadlines, "progress": progress, "lines": lines, "total": total}


def consolidated_rows(campaign: Campaign):
    """(summary rows, per-unit sheets) for the consolidated workbook, streamed."""
    table = round_table(campaign)
    summary = []
    for line in table["lines"]:
        cumulative = line.rounds[-1][1] if line.rounds else Totals()
        summary.append(SummaryRow(
            unit_name=line.unit.name, activities=cumulative.activities,
            participants=cumulative.participants, beneficiaries=cumulative.beneficiaries,
            funds_fen=cumulative.funds_fen, materials_fen=cumulative.materials_fen,
            statuses=line.statuses))
    units = [line.unit for line in table["lines"]]
    live = Activity.objects.live().filter(campaign=campaign)
    reports = {r.unit_id: r for r in Report.objects.filter(deadline__campaign=campaign)
               .order_by("deadline__due_at")}

    def sheets():
        # Every participating unit gets its sheet, an empty table included: "nothing
        # reported" is information too. One query per unit uses the (campaign, unit) index
        # and sorts a small set, where one big query would join and sort every activity.
        for unit in units:
            report = reports.get(unit.pk)
            reporter = f"{report.reporter_name} {report.reporter_phone}".strip() if report else ""
            rows = live.filter(unit=unit).order_by("report__deadline__due_at", "position", "pk")
            yield unit.name, reporter, activity_rows(rows, campaign)

    return [d.title for d in table["deadlines"]], summary, sheets()


def write_consolidated_file(campaign: Campaign, handle) -> None:
    deadlines, summary, sheets = consolidated_rows(campaign)
    excel_out.write_consolidated(handle, campaign_title=campaign.title, deadlines=deadlines,
                                 summary=summary, unit_sheets=sheets)


def consolidated_response(user, campaign: Campaign) -> FileResponse:
    # constant_memory writes row by row to temporary files: a 200,000-row campaign stays
    # flat in memory; the finished workbook is streamed from a temporary file.
    handle = tempfile.TemporaryFile()
    write_consolidated_file(campaign, handle)
    handle.seek(0)
    record(user, "progress.export_consolidated", campaign, message="下载汇总表")
    response = FileResponse(handle, content_type=XLSX)
    return _attachment(response, f"{campaign.title}-工作进展汇总表.xlsx")
