"""The dashboard's queries: who reported when, and what the activities add up to.

Every total is an integer SUM (amounts in fen) over the reported activities — the current
submitted version of each report, progress.reported's one definition — so drafts never
count, and with no filter the dashboard shows exactly the numbers of the consolidated
workbook: the rows are the participating units and each counts the activities of that
unit, as the workbook does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from campaigndesk.campaigns.models import (
    Campaign,
    Deadline,
    Submission,
    VocabularyItem,
    VocabularyKind,
)
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.progress.models import ReportedActivity
from campaigndesk.progress.reported import reported
from campaigndesk.progress.services import totals
from campaigndesk.progress.table import Totals
from campaigndesk.units.models import Unit, User

MATRIX_PAGE_SIZE = 100
TAG_KINDS = (VocabularyKind.SERVICE_AREA, VocabularyKind.ACTIVITY_TYPE,
             VocabularyKind.FIVE_SOCIAL)


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to; the empty filter is the workbook's view."""

    unit: Unit | None = None
    start: date | None = None
    end: date | None = None

    @property
    def is_empty(self) -> bool:
        return self.unit is None and self.start is None and self.end is None


def scope_units(campaign: Campaign, filters: Filters) -> QuerySet[Unit]:
    units = campaign.participants.order_by("code")
    if filters.unit is not None:
        units = units.filter(pk=filters.unit.pk)
    return units


def activities(campaign: Campaign, filters: Filters) -> QuerySet[ReportedActivity]:
    """Reported activities of the participating units (or of the filtered one), by start date.

    An activity over several days belongs to its first day for the date filter and the
    by-day chart; an activity without a date drops out once a date filter is set.
    (The ORM form, for callers that want rows; the sums below use plain SQL.)"""
    return filtered(reported(campaign), campaign, filters)


def filtered(qs: QuerySet, campaign: Campaign, filters: Filters) -> QuerySet:
    """Activities (reported rows or drafts) narrowed to the filters' units and dates."""
    qs = qs.filter(unit__in=scope_units(campaign, filters))
    if filters.start is not None:
        qs = qs.filter(start_date__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(start_date__lte=filters.end)
    return qs


class UnitRef(NamedTuple):
    """What a totals line needs of a unit: a campaign may have 40,000 participants, and
    full model instances for all of them would cost more than the sums themselves."""

    pk: int
    code: str
    name: str

    def __str__(self) -> str:
        return self.name


ACTIVITY = ReportedActivity._meta.db_table
TAGS = ReportedActivity.tags.through._meta.db_table
VOCABULARY = VocabularyItem._meta.db_table
PARTICIPANTS = Campaign.participants.through._meta.db_table
UNITS = Unit._meta.db_table


@dataclass
class Scope:
    """The WHERE clause of every sum, built once per request.

    `is_current = %s` (the rows of the last submitted versions, see progress.reported)
    rather than the ORM's plain boolean: SQLite seeks the index (campaign, is_current, unit)
    only with an equality. The participants filter
    (the workbook counts participants only) costs a lookup per row, so it is added only
    when some unit outside the participants has activities, which the site never does."""

    campaign: Campaign
    filters: Filters
    strict: bool = False

    def where(self, alias: str = "a") -> tuple[str, list]:
        # within_bureau: a county's rows sent to its bureau reach the region inside the
        # bureau's report (progress.reported), never on their own.
        sql = [f"{alias}.campaign_id = %s", f"{alias}.is_current = %s",
               f"{alias}.within_bureau = %s"]
        params: list = [self.campaign.pk, True, False]
        if self.filters.unit is not None:
            sql.append(f"{alias}.unit_id = %s")
            params.append(self.filters.unit.pk)
        elif self.strict:
            sql.append(f"{alias}.unit_id IN (SELECT unit_id FROM {PARTICIPANTS} "  # noqa: S608
                       "WHERE campaign_id = %s)")
            params.append(self.campaign.pk)
        if self.filters.start is not None:
            sql.append(f"{alias}.start_date >= %s")
            params.append(self.filters.start.isoformat())
        if self.filters.end is not None:
            sql.append(f"{alias}.start_date <= %s")
            params.append(self.filters.end.isoformat())
        return " AND ".join(sql), params


SUM_COLUMNS = ("COUNT(*), SUM(a.participants), SUM(a.beneficiaries), SUM(a.funds_fen), "
               "SUM(a.materials_fen)")


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _line(n, p, b, f, m) -> Totals:
    return Totals(n or 0, p or 0, b or 0, int(f or 0), int(m or 0))


def overall(qs: QuerySet[ReportedActivity]) -> Totals:
    return totals(qs)


def by_unit(campaign: Campaign, filters: Filters) -> tuple[list[tuple[UnitRef, Totals]], Scope]:
    """One line per participating unit, zero lines included ("nothing reported" shows),
    and the Scope the other sums must use."""
    scope = Scope(campaign, filters)
    where, params = scope.where()
    sums = {row[0]: _line(*row[1:]) for row in _rows(
        f"SELECT a.unit_id, {SUM_COLUMNS} FROM {ACTIVITY} a WHERE {where} "  # noqa: S608
        "GROUP BY a.unit_id", params)}
    units = [UnitRef(*values) for values in
             scope_units(campaign, filters).values_list("pk", "code", "name")]
    known = {unit.pk for unit in units}
    scope.strict = filters.unit is None and any(pk not in known for pk in sums)
    return [(unit, sums.get(unit.pk, Totals())) for unit in units], scope


def participants_total(campaign: Campaign) -> Totals:
    """The campaign's total over its participating units, as one one-row query."""
    where, params = Scope(campaign, Filters(), strict=True).where()
    return _line(*_rows(
        f"SELECT {SUM_COLUMNS} FROM {ACTIVITY} a WHERE {where}", params)[0])  # noqa: S608


def total_of(lines: Iterable[tuple[object, Totals]]) -> Totals:
    return sum((line for _, line in lines), Totals())


def by_tags(scope: Scope, total: Totals) -> dict[str, list[tuple[str, Totals]]]:
    """{kind: [(label, totals)]} for the service areas, activity types and 五社 elements.
    An activity with two entries counts under both, so the lines may add up to more than
    the total; the 未填写 line holds the activities with none of that list."""
    where, params = scope.where()
    items = [i for i in scope.campaign.vocabulary_items.all() if i.kind in TAG_KINDS]
    sums = {row[0]: _line(*row[1:]) for row in _rows(
        f"SELECT t.vocabularyitem_id, {SUM_COLUMNS} FROM {TAGS} t "  # noqa: S608
        f"JOIN {ACTIVITY} a ON a.id = t.reportedactivity_id "
        f"JOIN {VOCABULARY} v ON v.id = t.vocabularyitem_id "
        f"WHERE v.campaign_id = %s AND v.kind IN (%s, %s, %s) AND {where} "
        "GROUP BY t.vocabularyitem_id", [scope.campaign.pk, *TAG_KINDS, *params])}
    tagged = {row[0]: _line(*row[1:]) for row in _rows(
        f"SELECT k.kind, {SUM_COLUMNS} FROM {ACTIVITY} a JOIN ("  # noqa: S608
        f"SELECT DISTINCT t.reportedactivity_id AS activity_id, v.kind FROM {TAGS} t "
        f"JOIN {VOCABULARY} v ON v.id = t.vocabularyitem_id "
        "WHERE v.campaign_id = %s AND v.kind IN (%s, %s, %s)) k ON k.activity_id = a.id "
        f"WHERE {where} GROUP BY k.kind", [scope.campaign.pk, *TAG_KINDS, *params])}
    result = {}
    for kind in TAG_KINDS:
        lines = [(i.label, sums.get(i.pk, Totals())) for i in items if i.kind == kind]
        done = tagged.get(kind, Totals())
        rest = Totals(*(a - b for a, b in zip(astuple(total), astuple(done), strict=True)))
        if rest.activities:
            lines.append(("未填写", rest))
        result[kind] = lines
    return result


def by_day(scope: Scope) -> list[tuple[date | None, Totals]]:
    where, params = scope.where()
    rows = _rows(f"SELECT a.start_date, {SUM_COLUMNS} FROM {ACTIVITY} a "  # noqa: S608
                 f"WHERE {where} GROUP BY a.start_date ORDER BY a.start_date", params)
    return [(_as_date(day), _line(*rest)) for day, *rest in rows]


MAX_FILLED_DAYS = 400


def every_day(lines: list[tuple[date | None, Totals]], start: date | None,
              end: date | None) -> list[tuple[date, Totals]]:
    """The dated lines with the days in between that had no activity, as zeros.

    A chart of days must show a quiet day as a dip to 0, not skip it. The range is start to
    end (the campaign's or the filter's dates), widened to every day that has activities;
    a range beyond MAX_FILLED_DAYS is left as it is."""
    dated = {day: totals for day, totals in lines if day is not None}
    days = [d for d in (start, end, *dated) if d is not None]
    if not days:
        return []
    first, last = min(days), max(days)
    if (last - first).days > MAX_FILLED_DAYS:
        return sorted(dated.items())
    return [(first + timedelta(days=n), dated.get(first + timedelta(days=n), Totals()))
            for n in range((last - first).days + 1)]


def _as_date(value) -> date | None:
    # SQLite hands back the ISO text of a raw column; PostgreSQL a date.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass(frozen=True)
class Rate:
    """Completeness and timeliness of one deadline (DHIS2's two figures)."""

    deadline: Deadline
    expected: int
    on_time: int
    late: int

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def not_submitted(self) -> int:
        return self.expected - self.submitted

    @property
    def percent(self) -> float:
        return round(100 * self.submitted / self.expected, 1) if self.expected else 0.0



def rates(campaign: Campaign, units: QuerySet[Unit]) -> list[Rate]:
    """One query for every deadline: counted in SQL, so 40,000 units cost no Python loop."""
    counts = {
        row["deadline_id"]: row
        for row in Submission.objects.filter(deadline__campaign=campaign, unit__in=units)
        .values("deadline_id")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(
            submitted_at__gt=F("deadline__due_at"))))
        .order_by()
    }
    expected = units.count()
    result = []
    for deadline in campaign.deadlines.all():
        row = counts.get(deadline.pk, {"total": 0, "late": 0})
        result.append(Rate(deadline, expected, row["total"] - row["late"], row["late"]))
    return result


@dataclass
class Matrix:
    deadlines: list[Deadline]
    rates: list[Rate]
    page: Page | None  # None: every unit is in `rows`
    rows: list[tuple[Unit, list[DeadlineStatus]]] = field(default_factory=list)


def matrix(campaign: Campaign, units: QuerySet[Unit], *, now: datetime | None = None,
           page: int | str | None = 1, per_page: int = MATRIX_PAGE_SIZE) -> Matrix:
    """Units × deadlines, one page of units at a time (a campaign may have thousands of
    participants), or every unit with `page=None` (the exports); the rates above it count
    every unit, not only the page."""
    now = now or timezone.now()
    deadlines = list(campaign.deadlines.all())
    current = None if page is None else Paginator(units, per_page).get_page(page)
    shown = units if current is None else current.object_list
    # The units as a subquery, never a list of ids: 40,000 ids exceed SQLite's variables.
    submissions = {(s.unit_id, s.deadline_id): s for s in Submission.objects.filter(
        deadline__campaign=campaign, unit__in=shown).select_related("deadline")}
    rows = [(unit, [DeadlineStatus(d, unit, submissions.get((unit.pk, d.pk)), now)
                    for d in deadlines]) for unit in shown]
    return Matrix(deadlines, rates(campaign, units), current, rows)


def missing_units(campaign: Campaign, deadline: Deadline,
                  units: Iterable[Unit] | None = None) -> QuerySet[Unit]:
    """Participating, active units with no submission for the deadline, each with its
    active accounts in `active_users` (one query for all units, not one per unit)."""
    qs = campaign.participants.filter(is_active=True).exclude(
        pk__in=Submission.objects.filter(deadline=deadline).values("unit_id")).prefetch_related(
        Prefetch("users", queryset=User.objects.filter(is_active=True), to_attr="active_users"))
    if units is not None:
        qs = qs.filter(pk__in=[u.pk for u in units])
    return qs.order_by("code")


def _path_range(path: str) -> tuple[str, str]:
    # Paths hold digits and "/": every path under "/1/5/" sorts in ["/1/5/", "/1/50"),
    # ("0" follows "/"), so the subtree is one index range instead of a LIKE.
    return path, path[:-1] + "0"


def rollup(campaign: Campaign, parent: Unit) -> list[tuple[Unit, Totals]]:
    """Totals of the whole subtree of each unit reporting straight to `parent`, plus the
    parent's own activities (first line, when there are any): "the region by city", "a
    league by county".

    Summed per unit inside the covering index first, then the few thousand unit sums are
    folded to the child's path prefix in SQL: only a dozen lines come back to Python.
    """
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    low, high = _path_range(parent.report_path)
    depth = len(parent.report_path)
    where, params = Scope(campaign, Filters()).where()
    if parent.reports_to_id is not None:
        where += (f" AND a.unit_id IN (SELECT id FROM {UNITS} "  # noqa: S608
                  "WHERE report_path >= %s AND report_path < %s)")
        params += [low, high]
    sql = f"""
        WITH t (unit_id, n, p, b, f, m) AS (
            SELECT a.unit_id, {SUM_COLUMNS} FROM {ACTIVITY} a WHERE {where}
            GROUP BY a.unit_id)
        SELECT substr(u.report_path, 1, %s + {find}(substr(u.report_path, %s + 1), '/')) AS
               child, SUM(t.n), SUM(t.p), SUM(t.b), SUM(t.f), SUM(t.m)
        FROM t JOIN {UNITS} u ON u.id = t.unit_id
        WHERE u.report_path >= %s AND u.report_path < %s
        GROUP BY child
    """  # noqa: S608 - only table names, the vendor's function name and fixed clauses
    sums = {child: _line(*rest) for child, *rest in _rows(sql, [*params, depth, depth, low, high])}
    children = list(Unit.objects.filter(reports_to=parent).order_by("code"))
    lines = [(parent, sums[parent.report_path])] if parent.report_path in sums else []
    return lines + [(child, sums.get(child.report_path, Totals())) for child in children]
