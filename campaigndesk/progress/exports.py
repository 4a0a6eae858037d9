"""From the database to the Excel writers: one row iterator, several outputs."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, Submission, VocabularyKind
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.jobs.registry import Result
from campaigndesk.places.counts import signage_sheet
from campaigndesk.security import masking
from campaigndesk.units.models import Unit

from . import excel_out
from .models import Report, ReportVersion
from .reported import drafts, reopened, reported
from .services import (
    TOTAL_SUMS,
    Totals,
    progress_deadlines,
    row_from_json,
    totals_from,
)
from .sheet_notes import sheet_notes
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
    # Working rows (Activity) and rows as sent (ReportedActivity) have the same columns and
    # each its own tag table.
    tags = activities.model._meta.get_field("tags")
    owner = tags.m2m_field_name()
    areas: dict[int, list[int]] = defaultdict(list)
    for activity_id, item_id in (
        tags.remote_field.through.objects.filter(**{f"{owner}__in": activities.order_by()},
                                                 vocabularyitem_id__in=list(vocabulary))
        .values_list(f"{owner}_id", "vocabularyitem_id").iterator(chunk_size=5000)
    ):
        areas[activity_id].append(item_id)
    fields = ("pk", "name", "organizations", "participants", "start_date", "end_date",
              "location", "content", "service_other", "beneficiaries", "funds_fen",
              "materials_fen", "remarks")
    # Rows as sent may carry the county they came from (issue 17); working rows never do.
    with_origin = hasattr(activities.model, "within_bureau")
    for values in activities.values_list(
            *fields, *(("origin__name",) if with_origin else ())).iterator(chunk_size=5000):
        (pk, name, organizations, participants, start, end, location, content, other,
         beneficiaries, funds, materials, remarks) = values[:13]
        origin = (values[13] or "") if with_origin else ""
        ids = areas.get(pk, ())
        yield ActivityRow(
            name=name, organizations=organizations, participants=participants, start=start,
            end=end, location=location, content=content,
            service_areas=[vocabulary[i][1] for i in sorted(ids, key=lambda i: vocabulary[i])],
            service_other=other, beneficiaries=beneficiaries, funds_fen=funds,
            materials_fen=materials, remarks=remarks, origin=origin)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def campaign_notes(campaign: Campaign) -> tuple[str, ...]:
    """说明 and 联系人 under the table: this campaign's progress deadlines and contacts."""
    due = [timezone.localtime(d.due_at) for d in progress_deadlines(campaign)]
    return sheet_notes(due, campaign.contacts.all())


def template_response(campaign: Campaign | None = None) -> HttpResponse:
    """The blank table; without a campaign, attachment 1 exactly as the 2022 notice has it
    (the old address /progress/template.xlsx)."""
    out = BytesIO()
    notes = campaign_notes(campaign) if campaign else excel_out.DEFAULT_NOTES
    excel_out.write_template(out, notes=notes)
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
                                reporter_phone=phone, filled_date=filled, rows=rows,
                                notes=campaign_notes(report.deadline.campaign))
    suffix = f"-第{version.number}版" if version else ""
    record(user, "progress.export", report, message=f"下载{report.deadline.title}{suffix}")
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX),
                       f"{report.unit.name}-{report.deadline.title}{suffix}.xlsx")


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    rounds: list[tuple[Totals, Totals]]  # (this round, cumulative) per progress deadline
    statuses: list[str]  # one per deadline of the campaign
    drafts: Totals  # not reported: shown apart, never in a total
    reopened: list[str]  # titles of its rounds sent back for correction


def round_table(campaign: Campaign) -> dict:
    """Each reporting unit's reported figures per round and cumulative, its drafts apart,
    and its status per deadline: the department's view, the same numbers as the
    consolidated workbook."""
    now = timezone.now()
    deadlines = list(campaign.deadlines.all())
    progress = progress_deadlines(campaign)
    submissions = {(s.unit_id, s.deadline_id): s
                   for s in Submission.objects.filter(deadline__campaign=campaign)
                   .select_related("deadline")}
    per_round = {
        (row["unit_id"], row["deadline_id"]): totals_from(row)
        for row in reported(campaign).values("unit_id", "deadline_id").annotate(**TOTAL_SUMS)
        .order_by()
    }
    unsent = {row["unit_id"]: totals_from(row) for row in
              drafts(campaign).values("unit_id").annotate(**TOTAL_SUMS).order_by()}
    sent_back: dict[int, list[str]] = defaultdict(list)
    for unit_id, title in reopened(campaign).order_by("deadline__due_at").values_list(
            "unit_id", "deadline__title"):
        sent_back[unit_id].append(title)
    lines = []
    for unit in campaign.participants.order_by("code"):
        rounds, running = [], Totals()
        for d in progress:
            this = per_round.get((unit.pk, d.pk), Totals())
            running = running + this
            rounds.append((this, running))
        statuses = [DeadlineStatus(d, unit, submissions.get((unit.pk, d.pk)), now).cell
                    for d in deadlines]
        lines.append(UnitLine(unit, rounds, statuses, unsent.get(unit.pk, Totals()),
                              sent_back.get(unit.pk, [])))
    # The 合计 row: per round and cumulative, summed from the lines (no other query).
    round_sums = [(sum((line.rounds[i][0] for line in lines), Totals()),
                   sum((line.rounds[i][1] for line in lines), Totals()))
                  for i in range(len(progress))]
    total = round_sums[-1][1] if round_sums else Totals()
    return {"deadlines": deadlines, "progress": progress, "lines": lines, "total": total,
            "round_sums": round_sums,
            "drafts": sum((line.drafts for line in lines), Totals())}


def last_sent(campaign: Campaign) -> dict[int, dict]:
    """unit id -> 填报人, 手机号码 and 填报时间 of its latest submitted version. Submission
    writes them on the report (services.submit_report) and nothing changes them afterwards,
    so the report's fields are the version's header without reading its snapshot."""
    result: dict[int, dict] = {}
    versions = (ReportVersion.objects.filter(report__deadline__campaign=campaign)
                .order_by("submitted_at", "pk")
                .values_list("report__unit_id", "report__reporter_name",
                             "report__reporter_phone", "report__filled_date"))
    for unit_id, name, phone, filled in versions:
        result[unit_id] = {"name": name, "phone": phone, "filled": filled}
    return result


def consolidated_rows(campaign: Campaign, phone_shown=lambda unit, phone: phone):
    """(summary rows, per-unit sheets) for the consolidated workbook, streamed.
    `phone_shown(unit, phone)` is what the reader may see of a mobile number."""
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
    sent = reported(campaign)
    headers = last_sent(campaign)

    def sheets():
        # Every participating unit gets its sheet, an empty table included: "nothing
        # reported" is information too. One query per unit uses the (campaign, is_current,
        # unit) index and sorts a small set, where one big query would sort every activity.
        for unit in units:
            header = headers.get(unit.pk, {"name": "", "phone": "", "filled": None})
            phone = phone_shown(unit, header["phone"]) if header["phone"] else ""
            reporter = f"{header['name']} {phone}".strip()
            rows = sent.filter(unit=unit).order_by("deadline__due_at", "position", "pk")
            yield unit.name, reporter, header["filled"], activity_rows(rows, campaign)

    return [d.title for d in table["deadlines"]], summary, sheets()


def _counted(rows: Iterator[ActivityRow], tick) -> Iterator[ActivityRow]:
    for row in rows:
        yield row
        tick()


def write_consolidated_file(campaign: Campaign, handle,
                            phone_shown=lambda unit, phone: phone, step=None) -> None:
    """The consolidated workbook into `handle`. `step(percent, text)`, when given, hears how
    far the writing is: every 2,000 activity rows and at each unit's sheet."""
    deadlines, summary, sheets = consolidated_rows(campaign, phone_shown)
    if step is not None:
        sheets = _reporting(campaign, sheets, step)
    excel_out.write_consolidated(handle, campaign_title=campaign.title, deadlines=deadlines,
                                 summary=summary, unit_sheets=sheets,
                                 notes=campaign_notes(campaign),
                                 extra_sheets=[signage_sheet(campaign)])
    if step is not None:
        step(99, "正在完成文件")


def _reporting(campaign: Campaign, sheets, step):
    """The unit sheets, telling `step` the rows written against the rows to write (one
    count on the rows as sent, the index the sheets themselves use)."""
    total = max(1, reported(campaign).count())
    written = 0

    def tick():
        nonlocal written
        written += 1
        if written % 2000 == 0:
            step(2 + 96 * written / total, f"已写入{written:,}/{total:,}行活动")

    step(2, f"共{total:,}行活动，开始写入")
    for unit_name, reporter, filled, rows in sheets:
        step(2 + 96 * written / total, f"正在写入{unit_name}（已写入{written:,}/{total:,}行）")
        yield unit_name, reporter, filled, _counted(rows, tick)


def run_consolidated_job(job, out, step):
    """The job kind progress.consolidated: the workbook as the person who asked may see it
    (phones masked as on the pages)."""
    user, campaign = job.requested_by, job.campaign
    write_consolidated_file(campaign, out,
                            lambda unit, phone: masking.phone_for(user, unit, phone), step)
    record(user, "progress.export_consolidated", campaign, message="生成汇总表（后台任务）")
    return Result(f"{campaign.title}-工作进展汇总表.xlsx")
