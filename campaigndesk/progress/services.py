"""Progress reports: saving a round's activities, importing, submitting, reopening.

Every function that changes data runs in one transaction and writes one audit entry.
Callers validate rows first (web grid or Excel reader); these functions only save rows
that are already valid, so a save is all or nothing.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import (
    Campaign,
    Deadline,
    DeadlineKind,
    Submission,
    VocabularyItem,
    VocabularyKind,
)
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.security.concurrency import check_version
from campaigndesk.units.models import Unit

from .models import TAG_KINDS, Activity, Report, ReportStatus, ReportVersion
from .table import ActivityRow, Totals

MOBILE = re.compile(r"^1[3-9]\d{9}$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


class ReportLocked(Exception):
    """The report was submitted; a region administrator must reopen it first."""


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s\-－—–()（）]", "", unicodedata.normalize("NFKC", raw or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def check_mobile(raw: str) -> str:
    phone = normalise_phone(raw)
    if not MOBILE.match(phone):
        raise ValidationError(
            {"reporter_phone": _("手机号码“%(phone)s”不正确：应为11位大陆手机号，如 13800001234")
             % {"phone": raw}}
        )
    return phone


def reporter_errors(name: str, phone: str) -> dict[str, list[str]]:
    """What is wrong with the 填报人 and 手机号码 of a submission, by field; empty when fine."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["reporter_name"] = [_("请填写填报人")]
    try:
        check_mobile(phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.message_dict["reporter_phone"]
    return errors


def fingerprint(name: str, start: date | None) -> str:
    """What makes two rows the same activity across a cumulative table: the name without
    spaces and punctuation, full-width folded, plus the start date."""
    folded = _NOISE.sub("", unicodedata.normalize("NFKC", name)).lower()
    return f"{folded[:50]}|{start.isoformat() if start else ''}"


def progress_deadlines(campaign: Campaign) -> list[Deadline]:
    return list(campaign.deadlines.filter(kind=DeadlineKind.PROGRESS).order_by("due_at"))


def current_report(campaign: Campaign, unit: Unit) -> Report | None:
    """The round new activities go into: the earliest progress deadline this unit has not
    yet submitted (so a unit that missed a round fills that round first, and it shows as
    late). None when every round is submitted."""
    reports = {r.deadline_id: r for r in Report.objects.filter(unit=unit,
                                                                 deadline__campaign=campaign)}
    for deadline in progress_deadlines(campaign):
        report = reports.get(deadline.pk)
        if report is None:
            report, _ = Report.objects.get_or_create(deadline=deadline, unit=unit)
            return report
        if report.status != ReportStatus.SUBMITTED:
            return report
    return None


def vocabulary_index(campaign: Campaign) -> dict[tuple[str, str], VocabularyItem]:
    """(kind, label) -> item, for every list of the campaign."""
    return {(item.kind, item.label): item for item in campaign.vocabulary_items.all()}


def _apply(activity: Activity, row: ActivityRow) -> None:
    activity.name = row.name
    activity.organizations = list(row.organizations)
    activity.participants = row.participants
    activity.start_date = row.start
    activity.end_date = row.end or row.start
    activity.location = row.location
    activity.content = row.content
    activity.service_other = row.service_other
    activity.beneficiaries = row.beneficiaries
    activity.funds_fen = row.funds_fen
    activity.materials_fen = row.materials_fen
    activity.remarks = row.remarks
    activity.fingerprint = fingerprint(row.name, row.start)


def _set_tags(activity: Activity, row: ActivityRow, index: dict, *, optional: bool,
              created: bool) -> None:
    """Service areas always come from the row; the optional tags only when the row is from
    the web grid (`optional`), since files do not carry them and must not wipe them.
    A `created` activity has no tags yet, so there is nothing to read or keep."""
    kinds = {VocabularyKind.SERVICE_AREA, *TAG_KINDS} if optional else {VocabularyKind.SERVICE_AREA}
    wanted = [(VocabularyKind.SERVICE_AREA, label) for label in row.service_areas]
    if optional:
        wanted += [(kind, label) for kind in TAG_KINDS for label in row.tags.get(kind, [])]
    keep = [] if created else [t for t in activity.tags.all() if t.kind not in kinds]
    activity.tags.set(keep + [index[key] for key in wanted if key in index])


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # messages about rows not saved


@transaction.atomic
def save_round(by, report: Report, rows: list[tuple[int | None, ActivityRow]], *,
               expected_revision: int | None = None) -> SaveResult:
    """Save the web grid: the round's activities become exactly `rows` (id, values);
    activities of the round that are no longer in the grid are removed (soft delete).

    `expected_revision` is the revision the grid was opened at: a save made from an older
    one is refused (EditConflict), so two people never silently overwrite each other."""
    ensure_open(report.deadline.campaign_id)
    report = Report.objects.select_for_update().select_related("deadline__campaign").get(
        pk=report.pk)
    if not report.is_editable:
        raise ReportLocked(_("本轮报告已报送，需自治区管理员退回后才能修改"))
    check_version(report, expected_revision, field="revision")
    campaign = report.deadline.campaign
    index = vocabulary_index(campaign)
    existing = {a.pk: a for a in report.activities.live().prefetch_related("tags")}
    result = SaveResult()
    seen = set()
    for position, (activity_id, row) in enumerate(rows, start=1):
        activity = existing.get(activity_id) if activity_id else None
        created = activity is None
        if created:
            activity = Activity(campaign=campaign, unit=report.unit, report=report)
            result.created += 1
        else:
            seen.add(activity.pk)
            result.updated += 1
        _apply(activity, row)
        activity.position = position
        activity.full_clean(exclude=["campaign", "unit", "report", "tags", "fingerprint"])
        activity.save()
        _set_tags(activity, row, index, optional=True, created=created)
    for pk, activity in existing.items():
        if pk not in seen:
            activity.is_deleted = True
            activity.save(update_fields=["is_deleted", "updated_at"])
            result.deleted += 1
    report.revision += 1
    report.save(update_fields=["revision"])
    record(by, "progress.save", report, changes={
        "created": result.created, "updated": result.updated, "deleted": result.deleted})
    return result


def _same(activity: Activity, row: ActivityRow) -> bool:
    """Same values as the file's row (files carry no optional tags, so those are ignored)."""
    ignore = {"row": None, "sheet": None, "tags": None}
    return activity.to_row().__dict__ | ignore == row.__dict__ | ignore | {
        "end": row.end or row.start}


def _where(row: ActivityRow) -> str:
    """第 3 行, or 工作表“回民区”第 3 行 when the file had the table on several sheets."""
    line = _("第 %(row)s 行") % {"row": row.row}
    if not row.sheet:
        return line
    return _("工作表“%(sheet)s”%(line)s") % {"sheet": row.sheet, "line": line}


def match_rows(rows: list[ActivityRow], activities: Iterable[Activity]) -> list[Activity | None]:
    """The reported activity each row of a table is, or None for a new one.

    One to one: an activity is matched by at most one row, so two activities with the
    same name on the same day (generic names are common) stay two. Rows equal to an
    activity are paired first; the other rows take the remaining activities with their
    fingerprint in reporting order, and what is left over is new.
    """
    pool: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        pool[activity.fingerprint].append(activity)
    keys = [fingerprint(row.name, row.start) for row in rows]
    matches: list[Activity | None] = [None] * len(rows)
    for i, (row, key) in enumerate(zip(rows, keys, strict=True)):
        same = next((a for a in pool.get(key, ()) if _same(a, row)), None)
        if same is not None:
            pool[key].remove(same)
            matches[i] = same
    for i, key in enumerate(keys):
        if matches[i] is None and pool.get(key):
            matches[i] = pool[key].pop(0)
    return matches


def reported_activities(campaign: Campaign, unit: Unit):
    """The unit's live activities of the campaign in reporting order: what the rows of an
    imported table are matched against (match_rows)."""
    return (Activity.objects.live().filter(campaign=campaign, unit=unit)
            .select_related("report").prefetch_related("tags")
            .order_by("report__deadline__due_at", "position", "pk"))


@transaction.atomic
def import_rows(by, campaign: Campaign, unit: Unit, rows: Iterable[ActivityRow], *,
                reporter_name: str = "", reporter_phone: str = "",
                filename: str = "") -> SaveResult:
    """Save rows read from a file. A row that matches an activity already reported (a
    cumulative table) is not duplicated: it updates the activity while its round is still
    open, and is left alone, with a note, once its round was submitted."""
    ensure_open(campaign)
    report = current_report(campaign, unit)
    index = vocabulary_index(campaign)
    rows = list(rows)
    matches = match_rows(rows, reported_activities(campaign, unit))
    result = SaveResult()
    if report is not None:
        report = Report.objects.select_for_update().get(pk=report.pk)
        position = (report.activities.live().order_by("-position")
                    .values_list("position", flat=True).first() or 0)
    for row, match in zip(rows, matches, strict=True):
        if match is not None and _same(match, row):
            result.unchanged += 1
            continue
        if match is not None and not match.report.is_editable:
            result.skipped.append(
                _("%(where)s“%(name)s”已在%(title)s中报送，"
                  "内容有变化但该轮已报送，未更新；如需更正请联系自治区管理员退回")
                % {"where": _where(row), "name": row.name, "title": match.report.deadline.title})
            continue
        if match is None and report is None:
            result.skipped.append(_("%(where)s“%(name)s”：各轮报告均已报送，无法新增")
                                  % {"where": _where(row), "name": row.name})
            continue
        created = match is None
        if created:
            position += 1
            match = Activity(campaign=campaign, unit=unit, report=report, position=position)
            result.created += 1
        else:
            result.updated += 1
        _apply(match, row)
        match.save()
        _set_tags(match, row, index, optional=False, created=created)
    if report is not None and (reporter_name or reporter_phone):
        report.reporter_name = report.reporter_name or reporter_name[:50]
        if not report.reporter_phone and MOBILE.match(normalise_phone(reporter_phone)):
            report.reporter_phone = normalise_phone(reporter_phone)
        report.save(update_fields=["reporter_name", "reporter_phone"])
    record(by, "progress.import", report or unit, message=f"导入 {filename}".strip(), changes={
        "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
        "skipped": len(result.skipped)})
    return result


def snapshot(report: Report) -> dict:
    activities = report.activities.live().prefetch_related("tags").order_by("position", "pk")
    return {
        "reporter_name": report.reporter_name,
        "reporter_phone": report.reporter_phone,
        "filled_date": report.filled_date.isoformat() if report.filled_date else None,
        "activities": [activity_json(a.pk, a.to_row()) for a in activities],
    }


def activity_json(pk: int | None, row: ActivityRow) -> dict:
    return {
        "id": pk,
        "name": row.name,
        "organizations": row.organizations,
        "participants": row.participants,
        "start": row.start.isoformat() if row.start else None,
        "end": row.end.isoformat() if row.end else None,
        "location": row.location,
        "content": row.content,
        "service_areas": row.service_areas,
        "service_other": row.service_other,
        "beneficiaries": row.beneficiaries,
        "funds_fen": row.funds_fen,
        "materials_fen": row.materials_fen,
        "remarks": row.remarks,
        "tags": row.tags,
    }


def row_from_json(data: dict) -> ActivityRow:
    return ActivityRow(
        name=data["name"],
        organizations=list(data["organizations"]),
        participants=data["participants"],
        start=date.fromisoformat(data["start"]) if data["start"] else None,
        end=date.fromisoformat(data["end"]) if data["end"] else None,
        location=data["location"],
        content=data["content"],
        service_areas=list(data["service_areas"]),
        service_other=data["service_other"],
        beneficiaries=data["beneficiaries"],
        funds_fen=data["funds_fen"],
        materials_fen=data["materials_fen"],
        remarks=data["remarks"],
        tags=data.get("tags", {}),
    )


@transaction.atomic
def submit_report(by, report: Report, *, reporter_name: str, reporter_phone: str,
                  filled_date: date | None = None, now: datetime | None = None) -> ReportVersion:
    """Send the round: freeze what was sent as the next version. After the due time it is
    still accepted and shows as late with the delay."""
    ensure_open(report.deadline.campaign_id)
    report = Report.objects.select_for_update().select_related("deadline").get(pk=report.pk)
    if report.status == ReportStatus.SUBMITTED:
        raise ReportLocked(_("本轮报告已报送"))
    errors = reporter_errors(reporter_name, reporter_phone)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    report.reporter_name = reporter_name.strip()[:50]
    report.reporter_phone = normalise_phone(reporter_phone)
    report.filled_date = filled_date or timezone.localdate(now)
    report.status = ReportStatus.SUBMITTED
    report.save()
    number = (report.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, submitted_at=now,
                                           submitted_by=by, snapshot=snapshot(report))
    # Timeliness is judged on the first submission; later versions are corrections.
    Submission.objects.get_or_create(deadline=report.deadline, unit=report.unit,
                                     defaults={"submitted_at": now, "submitted_by": by})
    late = version.is_late
    record(by, "progress.submit", report, changes={
        "version": number, "activities": len(version.snapshot["activities"]), "late": late},
        message="逾期报送" if late else "按时报送")
    return version


@transaction.atomic
def reopen_report(by, report: Report, *, reason: str) -> Report:
    ensure_open(report.deadline.campaign_id)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已报送的报告可以退回修改"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回原因")})
    report.status = ReportStatus.REOPENED
    report.save(update_fields=["status"])
    record(by, "progress.reopen", report, message=reason.strip())
    return report


# The five sums of attachment 1, used by every figure of the product: integer columns, so
# SQLite and PostgreSQL agree to the fen.
TOTAL_SUMS = {"n": Count("pk"), "p": Sum("participants"), "b": Sum("beneficiaries"),
              "f": Sum("funds_fen"), "m": Sum("materials_fen")}


def totals_from(row: dict, prefix: str = "") -> Totals:
    """Totals from an aggregate()/annotate() row made with TOTAL_SUMS."""
    return Totals(row[prefix + "n"] or 0, row[prefix + "p"] or 0, row[prefix + "b"] or 0,
                  int(row[prefix + "f"] or 0), int(row[prefix + "m"] or 0))


def totals(activities) -> Totals:
    return totals_from(activities.aggregate(**TOTAL_SUMS))


def round_totals(report: Report) -> Totals:
    return totals(report.activities.live())


def cumulative_totals(report: Report) -> Totals:
    return totals(Activity.objects.live().filter(
        unit=report.unit, campaign=report.deadline.campaign,
        report__deadline__due_at__lte=report.deadline.due_at))
