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
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.cascade import bureau_cascade, due_for
from campaigndesk.campaigns.models import (
    Campaign,
    Deadline,
    DeadlineKind,
    Submission,
    VocabularyItem,
    VocabularyKind,
)
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.core.concurrency import check_version
from campaigndesk.units.models import Unit

from . import reported
from .models import (
    TAG_KINDS,
    Activity,
    Report,
    ReportedActivity,
    ReportStatus,
    ReportVersion,
    TypedRow,
)
from .reported import TOTAL_SUMS, totals, totals_from  # noqa: F401 - re-exported
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
    """The round new activities go into: the earliest progress round this unit has not yet
    submitted (so a unit that missed a round fills that round first, and it shows as late).
    A round sent back for correction (reopened) is corrected in place but new activities go
    to the open round after it; it is the current round only when every other round is
    submitted. None when every round is submitted."""
    return _round_for_new(campaign, unit, create=True)


def next_round(campaign: Campaign, unit: Unit) -> Report | None:
    """The round new rows would go into now, without opening it (a preview reads only):
    an unsaved Report when that round was never opened."""
    return _round_for_new(campaign, unit, create=False)


def _round_for_new(campaign: Campaign, unit: Unit, *, create: bool) -> Report | None:
    reports = {r.deadline_id: r for r in Report.objects.filter(unit=unit,
                                                                 deadline__campaign=campaign)}
    sent_back = None
    for deadline in progress_deadlines(campaign):
        report = reports.get(deadline.pk)
        if report is None:
            if not create:  # the preview: the round that would be opened, unsaved
                return Report(deadline=deadline, unit=unit)
            report, _ = Report.objects.get_or_create(deadline=deadline, unit=unit)
            return report
        if report.status == ReportStatus.DRAFT:
            return report
        if report.status == ReportStatus.REOPENED and sent_back is None:
            sent_back = report
    return sent_back


def editable_rounds(campaign: Campaign, unit: Unit) -> list[Report]:
    """Every round the unit may edit now, in deadline order: the current one and any sent
    back for correction (the grid offers each)."""
    current = current_report(campaign, unit)
    rounds = {r.pk: r for r in Report.objects.filter(
        unit=unit, deadline__campaign=campaign,
        status__in=[ReportStatus.DRAFT, ReportStatus.REOPENED]).select_related("deadline")}
    if current is not None:
        rounds.setdefault(current.pk, current)
    return sorted(rounds.values(), key=lambda r: r.deadline.due_at)


def reporter_defaults(report: Report) -> tuple[str, str]:
    """(填报人, 手机号码) to prefill the submission form: the round's own, else whoever sent
    the unit's latest submitted version (in any campaign), so the same person does not
    type them every week."""
    if report.reporter_name or report.reporter_phone:
        return report.reporter_name, report.reporter_phone
    last = (ReportVersion.objects.filter(report__unit_id=report.unit_id)
            .order_by("-submitted_at", "-pk")
            .values_list("report__reporter_name", "report__reporter_phone").first())
    return last or ("", "")


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
    typed: int = 0  # grid rows kept as typed, with their errors (models.TypedRow)


@dataclass(frozen=True)
class Typed:
    """A grid row to keep as typed because a cell is wrong: texts and messages by grid
    key (see models.TypedRow)."""

    texts: dict[str, str]
    errors: dict[str, str]


@transaction.atomic
def save_round(by, report: Report, rows: list[tuple[int | None, ActivityRow | Typed]], *,
               expected_revision: int | None = None, whole_grid: bool = False) -> SaveResult:
    """Save the web grid: the round's activities become exactly `rows` (id, values);
    activities of the round that are no longer in the grid are removed (soft delete).

    A row given as `Typed` is kept as typed, in its place (a TypedRow): a draft keeps every
    row, and an activity whose row is wrong now keeps its last correct values until it is
    corrected. `whole_grid`: the rows are the whole grid, so the round's typed rows become
    exactly those given; otherwise (the API, which never sees them) typed rows are kept,
    except over the activities this save changes or removes.

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
    seen: set[int] = set()
    touched: set[int] = set()  # activities changed or removed: their typed rows are stale
    typed: list[TypedRow] = []
    for position, (activity_id, row) in enumerate(rows, start=1):
        activity = existing.get(activity_id) if activity_id else None
        if activity is not None and activity.pk in seen:
            activity = None  # the same id twice: the second row is a row of its own
        if isinstance(row, Typed):
            if activity is not None:
                seen.add(activity.pk)
                if activity.position != position:
                    activity.position = position
                    activity.save(update_fields=["position", "updated_at"])
            typed.append(TypedRow(report=report, activity=activity, position=position,
                                  texts=dict(row.texts), errors=dict(row.errors)))
            continue
        created = activity is None
        if created:
            activity = Activity(campaign=campaign, unit=report.unit, report=report)
            result.created += 1
        else:
            seen.add(activity.pk)
            if activity.position == position and _same_in_grid(activity, row):
                result.unchanged += 1  # saved as it was: not counted as a change
                continue
            touched.add(activity.pk)
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
            touched.add(pk)
            result.deleted += 1
    stale = report.typed_rows.all() if whole_grid else report.typed_rows.filter(
        activity_id__in=touched)
    stale.delete()
    TypedRow.objects.bulk_create(typed)
    result.typed = len(typed)
    report.revision += 1
    report.save(update_fields=["revision"])
    changes = {"created": result.created, "updated": result.updated, "deleted": result.deleted,
               "unchanged": result.unchanged}
    if whole_grid:
        changes["with_errors"] = result.typed
    record(by, "progress.save", report, changes=changes)
    return result


def _same_in_grid(activity: Activity, row: ActivityRow) -> bool:
    """Same values as the grid's row, its optional classifications included."""
    ignore = {"row": None, "sheet": None}
    return activity.to_row().__dict__ | ignore == row.__dict__ | ignore | {
        "end": row.end or row.start}


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


@dataclass
class _ImportPlan:
    """What an import will write, decided from reads alone."""

    create: list[ActivityRow] = field(default_factory=list)
    update: list[tuple[Activity, ActivityRow]] = field(default_factory=list)
    result: SaveResult = field(default_factory=SaveResult)
    state: tuple = ()  # the unit's activities as planned on: (count, last change)


def _unit_state(campaign: Campaign, unit: Unit) -> tuple:
    live = Activity.objects.live().filter(campaign=campaign, unit=unit)
    return live.count(), live.aggregate(last=Max("updated_at"))["last"]


def _plan_import(campaign: Campaign, unit: Unit, rows: list[ActivityRow],
                 report: Report | None) -> _ImportPlan:
    plan = _ImportPlan(state=_unit_state(campaign, unit))
    matches = match_rows(rows, reported_activities(campaign, unit))
    for row, match in zip(rows, matches, strict=True):
        if match is not None and _same(match, row):
            plan.result.unchanged += 1
        elif match is not None and not match.report.is_editable:
            plan.result.skipped.append(
                _("%(where)s“%(name)s”已在%(title)s中报送，"
                  "内容有变化但该轮已报送，未更新；如需更正请联系自治区管理员退回")
                % {"where": _where(row), "name": row.name, "title": match.report.deadline.title})
        elif match is None and report is None:
            plan.result.skipped.append(_("%(where)s“%(name)s”：各轮报告均已报送，无法新增")
                                       % {"where": _where(row), "name": row.name})
        elif match is None:
            plan.create.append(row)
        else:
            plan.update.append((match, row))
    plan.result.created, plan.result.updated = len(plan.create), len(plan.update)
    return plan


def rows_beside(rows: list[ActivityRow], report: Report | None) -> list[Activity]:
    """The round's working activities a table does not contain: submitting the round after
    importing the table submits them too (a mailed table confirmed later must not carry
    rows typed on the web since under the mail's time)."""
    if report is None or report.pk is None:
        return []
    existing = list(report.activities.live().order_by("position"))
    matched = {m.pk for m in match_rows(list(rows), existing) if m is not None}
    return [a for a in existing if a.pk not in matched]


def preview_import(campaign: Campaign, unit: Unit, rows: list[ActivityRow], *,
                   into: Report | None = None) -> SaveResult:
    """What import_rows would do with these rows now, without writing anything (the
    preview). Reads only: the round it would go into is looked up, not created. `into`:
    the round new rows go to when it is not the current one (a mailed table goes to the
    round the mail's date falls in; it may be a Report not saved yet)."""
    return _plan_import(campaign, unit, list(rows), into or next_round(campaign, unit)).result


_UPDATED_FIELDS = ["name", "organizations", "participants", "start_date", "end_date",
                   "location", "content", "service_other", "beneficiaries", "funds_fen",
                   "materials_fen", "remarks", "fingerprint", "updated_at"]


@dataclass
class _PreparedInsert:
    """New activities as database values, made before the write transaction: the ORM's
    per-value work (models, adapters) costs more than the INSERT itself at 15,000 rows."""

    sql: str = ""
    values: list[tuple] = field(default_factory=list)
    areas: dict[int, list[int]] = field(default_factory=dict)  # position -> item ids


def _prepare_insert(plan: _ImportPlan, campaign: Campaign, unit: Unit, report: Report | None,
                    index: dict, base: int) -> _PreparedInsert:
    if not plan.create or report is None:
        return _PreparedInsert()
    now = timezone.now()
    columns = [f for f in Activity._meta.concrete_fields if not f.primary_key]
    prepared = _PreparedInsert(sql="INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(Activity._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in columns),
        ", ".join(["%s"] * len(columns))))
    for offset, row in enumerate(plan.create, start=1):
        activity = Activity(campaign=campaign, unit=unit, report=report, position=base + offset,
                            created_at=now, updated_at=now)
        _apply(activity, row)
        prepared.values.append(tuple(f.get_db_prep_save(getattr(activity, f.attname), connection)
                                     for f in columns))
        prepared.areas[base + offset] = _area_ids(row, index)
    return prepared


def _area_ids(row: ActivityRow, index: dict) -> list[int]:
    keys = dict.fromkeys((VocabularyKind.SERVICE_AREA, label) for label in row.service_areas)
    return [index[key].pk for key in keys if key in index]


def _write_import(plan: _ImportPlan, prepared: _PreparedInsert, report: Report | None,
                  index: dict) -> None:
    """The plan's writes in bulk: a few statements per thousand rows, not several per row.
    Files carry the service areas only, so only those links are replaced."""
    through = Activity.tags.through
    links: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        if prepared.values:
            cursor.executemany(prepared.sql, prepared.values)
            low = min(prepared.areas)
            for pk, position in (Activity.objects.filter(report=report, position__gte=low)
                                 .values_list("pk", "position")):
                links += [(pk, item) for item in prepared.areas.get(position, ())]
    if plan.update:
        now = timezone.now()
        for activity, row in plan.update:
            _apply(activity, row)
            activity.updated_at = now
        Activity.objects.bulk_update([a for a, _row in plan.update], _UPDATED_FIELDS,
                                     batch_size=500)
        ids = [a.pk for a, _row in plan.update]
        for chunk in range(0, len(ids), 500):
            through.objects.filter(activity_id__in=ids[chunk:chunk + 500],
                                   vocabularyitem__kind=VocabularyKind.SERVICE_AREA).delete()
            # A row typed wrong over an activity the file now updates is stale.
            TypedRow.objects.filter(activity_id__in=ids[chunk:chunk + 500]).delete()
        links += [(a.pk, item) for a, row in plan.update for item in _area_ids(row, index)]
    if links:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(through._meta.db_table)
            cursor.executemany(f"INSERT INTO {table} (activity_id, vocabularyitem_id) "  # noqa: S608
                               "VALUES (%s, %s)", links)


def _next_position(report: Report | None) -> int:
    """Past every row of the round, soft-deleted ones and rows kept as typed included, so
    new positions are free."""
    if report is None or report.pk is None:
        return 0
    return max(Activity.objects.filter(report=report).aggregate(top=Max("position"))["top"] or 0,
               report.typed_rows.aggregate(top=Max("position"))["top"] or 0)


def revisions_of(campaign: Campaign, unit: Unit) -> str:
    """The revision of each of the unit's rounds, as one text: what an import preview was
    computed on ("12:3,13:0"); any save, import, reopening or submission changes it."""
    reports = Report.objects.filter(deadline__campaign=campaign, unit=unit).order_by("pk")
    return ",".join(f"{pk}:{revision}" for pk, revision in
                    reports.values_list("pk", "revision"))


def import_rows(by, campaign: Campaign, unit: Unit, rows: Iterable[ActivityRow], *,
                reporter_name: str = "", reporter_phone: str = "",
                filename: str = "", into: Report | None = None) -> SaveResult:
    """Save rows read from a file. A row that matches an activity already reported (a
    cumulative table) is not duplicated: it updates the activity while its round is still
    open, and is left alone, with a note, once its round was submitted.

    The matching reads before the write transaction; the transaction only writes, in bulk,
    so a 15,000-row table holds the database's write lock for a moment. If the unit's rows
    changed between the two (someone saved meanwhile), the plan is made again under the
    lock, so nothing is decided on stale data.

    `into` (a saved, editable round of this unit and campaign) takes the new rows instead
    of the current round: a mailed table goes to the round its mail's date falls in."""
    ensure_open(campaign)
    rows = list(rows)
    report = into if into is not None else current_report(campaign, unit)
    index = vocabulary_index(campaign)
    plan = _plan_import(campaign, unit, rows, report)
    base = _next_position(report)
    prepared = _prepare_insert(plan, campaign, unit, report, index, base)
    with transaction.atomic():
        if report is not None:
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if (locked.status, locked.revision) != (report.status, report.revision) \
                    or _unit_state(campaign, unit) != plan.state \
                    or _next_position(locked) != base:
                plan = _plan_import(campaign, unit, rows, locked)
                base = _next_position(locked)
                prepared = _prepare_insert(plan, campaign, unit, locked, index, base)
            report = locked
        _write_import(plan, prepared, report, index)
        if report is not None:
            if reporter_name or reporter_phone:
                report.reporter_name = report.reporter_name or reporter_name[:50]
                if not report.reporter_phone and MOBILE.match(normalise_phone(reporter_phone)):
                    report.reporter_phone = normalise_phone(reporter_phone)
            # An import is a write to the report like a grid save: a grid opened before it
            # must get a conflict, not silently save over the imported rows.
            report.revision += 1
            report.save(update_fields=["reporter_name", "reporter_phone", "revision"])
        result = plan.result
        record(by, "progress.import", report or unit, message=f"导入 {filename}".strip(),
               changes={"created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged, "skipped": len(result.skipped)})
    return result


def snapshot(report: Report) -> dict:
    activities = report.activities.live().prefetch_related("tags").order_by("position", "pk")
    return {
        "reporter_name": report.reporter_name,
        "reporter_phone": report.reporter_phone,
        "filled_date": report.filled_date.isoformat() if report.filled_date else None,
        "activities": [*(activity_json(a.pk, a.to_row()) for a in activities),
                       *forwarded_rows(report)],
    }


def forwarded_rows(report: Report) -> list[dict]:
    """A bureau's report carries its counties' submitted rows of the round (issue 17), each
    with its origin; a draft of a county is never among them. Empty for every other unit."""
    cascade = bureau_cascade(report.deadline.campaign_id, report.unit)
    if cascade is None:
        return []
    rows = (ReportedActivity.objects.filter(
        campaign_id=report.deadline.campaign_id, deadline_id=report.deadline_id,
        is_current=True, within_bureau=True, unit__in=cascade.members.all())
        .select_related("unit").prefetch_related("tags")
        .order_by("unit__code", "position", "pk"))
    return [{**activity_json(None, row.to_row()),
             "origin": {"id": row.unit_id, "code": row.unit.code, "name": row.unit.name}}
            for row in rows]


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
        origin=(data.get("origin") or {}).get("name", ""),
    )


@transaction.atomic
def submit_report(by, report: Report, *, reporter_name: str, reporter_phone: str,
                  filled_date: date | None = None, now: datetime | None = None,
                  expected_revision: int | None = None, by_mail: bool = False) -> ReportVersion:
    """Send the round: freeze what was sent as the next version. After the due time it is
    still accepted and shows as late with the delay. `expected_revision` (the API's
    optimistic version): a round changed since it was read is not sent (EditConflict).
    `by_mail`: a mailed table confirmed now; `now` is then the mail's arrival, which the
    version and the submission keep as their time (邮件报送)."""
    ensure_open(report.deadline.campaign_id)
    report = Report.objects.select_for_update().select_related("deadline").get(pk=report.pk)
    if report.status == ReportStatus.SUBMITTED:
        raise ReportLocked(_("本轮报告已报送"))
    check_version(report, expected_revision, field="revision")
    wrong = report.typed_rows.count()
    if wrong:
        raise ValidationError({"rows": [typed_rows_message(wrong)]})
    errors = reporter_errors(reporter_name, reporter_phone)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    report.reporter_name = reporter_name.strip()[:50]
    report.reporter_phone = normalise_phone(reporter_phone)
    report.filled_date = filled_date or timezone.localdate(now)
    report.status = ReportStatus.SUBMITTED
    report.revision += 1  # every write to a report bumps the one revision
    report.save()
    number = (report.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, submitted_at=now,
                                           submitted_by=by, snapshot=snapshot(report),
                                           by_mail=by_mail)
    # Timeliness is judged on the first submission; later versions are corrections.
    submission, created = Submission.objects.get_or_create(
        deadline=report.deadline, unit=report.unit,
        defaults={"submitted_at": now, "submitted_by": by, "by_mail": by_mail})
    if not created and submission.reopened_at is not None:
        submission.reopened_at = None
        submission.save(update_fields=["reopened_at"])
    reported.freeze(version)
    # A county's round is late after its bureau's internal deadline, not the region's.
    late = now > due_for(report.deadline, report.unit)
    record(by, "progress.submit", report, changes={
        "version": number, "activities": len(version.snapshot["activities"]), "late": late,
        **({"by_mail": True} if by_mail else {})},
        message=("邮件报送，" if by_mail else "") + ("逾期报送" if late else "按时报送"))
    return version


def draft_saved_message(result: SaveResult) -> str:
    """What a grid save did, every row counted once: a row kept as typed with its errors
    (new, or an activity edited into an error, which keeps its last correct values) is
    neither 新增 nor 修改, so it is said apart."""
    message = _("草稿已保存：新增 %(created)s 条，修改 %(updated)s 条，删除 %(deleted)s 条，"
                "未变 %(unchanged)s 条") % {
        "created": result.created, "updated": result.updated, "deleted": result.deleted,
        "unchanged": result.unchanged}
    if result.typed:
        message += _("；%(count)s 行有错误，已按原样保存在草稿中") % {"count": result.typed}
    return message


def typed_rows_message(count: int) -> str:
    return _("本轮还有 %(count)s 行有错误（在网页表格中已标红），全部改正后才能报送") % {
        "count": count}


@transaction.atomic
def reopen_report(by, report: Report, *, reason: str) -> Report:
    ensure_open(report.deadline.campaign_id)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已报送的报告可以退回修改"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回原因")})
    report.status = ReportStatus.REOPENED
    report.revision += 1
    report.save(update_fields=["status", "revision"])
    Submission.objects.filter(deadline=report.deadline_id, unit=report.unit_id).update(
        reopened_at=timezone.now())
    record(by, "progress.reopen", report, message=reason.strip())
    # The reason box promises the unit is told: an on-site notice (and mail when configured).
    from campaigndesk.articles.notify import notify_unit

    link = reverse("campaign_unit_progress", kwargs={
        "campaign_pk": report.deadline.campaign_id, "code": report.unit.code})
    notify_unit(report.unit, _("%(title)s已被退回修改：%(reason)s") % {
        "title": report.deadline.title, "reason": reason.strip()},
        f"{link}?round={report.pk}", topic=str(_("工作进展")),
        campaign=report.deadline.campaign)
    return report


def round_totals(report: Report) -> Totals:
    """The round's working rows: what the grid holds now, draft or not."""
    return totals(report.activities.live())


def reported_round_totals(report: Report) -> Totals:
    """What the round counts for: its last submitted version (empty before submission)."""
    return totals(reported.reported_of_report(report))


def cumulative_totals(report: Report) -> Totals:
    """What the unit has reported up to and including this round (submitted versions)."""
    return totals(reported.reported(report.deadline.campaign).filter(
        unit=report.unit, deadline__due_at__lte=report.deadline.due_at))
