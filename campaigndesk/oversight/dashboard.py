"""The dashboard's queries: who reported when, and what the activities add up to.

Every total counts the reported activities — the current submitted version of each
report, progress.reported's one definition — so drafts never count, and with no filter the
dashboard shows exactly the numbers of the consolidated workbook: the rows are the
participating units and each counts the activities of that unit, as the workbook does.
The sums are not made here: they are read from the totals the submission maintains
(progress.totals), so a page costs the same with 500 or 500,000 activities; row_sums holds
the sums over the rows for what no maintained total answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from campaigndesk.campaigns.models import (
    Campaign,
    Deadline,
    Submission,
)
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.progress import totals as kept
from campaigndesk.progress.models import ReportedActivity, ReportedTotal
from campaigndesk.progress.reported import reported
from campaigndesk.progress.services import totals
from campaigndesk.progress.table import Totals
from campaigndesk.units.models import Unit, User

from . import row_sums
from .row_sums import TAG_KINDS, Scope

MATRIX_PAGE_SIZE = 100


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


def overall(qs: QuerySet[ReportedActivity]) -> Totals:
    return totals(qs)


# The figures come from the maintained totals (progress.totals): a unit's own rows for the
# lines per unit and a filtered unit, the roots' subtree rows for the whole campaign, and
# the "d<date>" rows for a date range. Nothing here reads an activity row, except through
# row_sums where no total fits (see there).
TOTALS = ReportedTotal._meta.db_table
OWN_SUMS = ", ".join(f"SUM(t.{c})" for c in kept.OWN)
TREE_SUMS = ", ".join(f"SUM(t.{c})" for c in kept.TREE)


def _key_range(scope: Scope) -> tuple[str, list]:
    """The keys holding the scope's dates: the whole total, or the days in the range (an
    activity without a date, key "d", drops out of any range, as in the rows' filter)."""
    if scope.start is None and scope.end is None:
        return 't."key" = %s', [kept.TOTAL_KEY]
    low = kept.day_key(scope.start) if scope.start else "d0"
    high = kept.day_key(scope.end) if scope.end else "d9"
    return 't."key" >= %s AND t."key" <= %s', [low, high]


def unit_sums(scope: Scope) -> dict[int, Totals]:
    """{unit id: totals} of every unit with reported rows in the scope, from its own
    maintained totals over every round."""
    keys, params = _key_range(scope)
    sql = f"t.campaign_id = %s AND {keys} AND t.own_activities > 0"
    params = [scope.campaign.pk, *params]
    if scope.unit is not None:
        sql += " AND t.unit_id = %s"
        params.append(scope.unit.pk)
    return {row[0]: row_sums.as_totals(*row[1:]) for row in row_sums.fetch(
        f"SELECT t.unit_id, {OWN_SUMS} FROM {TOTALS} t WHERE {sql} "  # noqa: S608
        "GROUP BY t.unit_id", params)}


def by_unit(campaign: Campaign, filters: Filters) -> tuple[list[tuple[UnitRef, Totals]], Scope]:
    """One line per participating unit, zero lines included ("nothing reported" shows),
    and the Scope the other sums must use."""
    scope = Scope(campaign, filters)
    sums = unit_sums(scope)
    units = [UnitRef(*values) for values in
             scope_units(campaign, filters).values_list("pk", "code", "name")]
    known = {unit.pk for unit in units}
    scope.strict = filters.unit is None and any(pk not in known for pk in sums)
    return [(unit, sums.get(unit.pk, Totals())) for unit in units], scope


def participants_total(campaign: Campaign) -> Totals:
    """The campaign's total over its participating units: their own maintained totals."""
    return row_sums.as_totals(*row_sums.fetch(
        f"SELECT {OWN_SUMS} FROM {TOTALS} t WHERE t.campaign_id = %s AND "  # noqa: S608
        f't."key" = %s AND t.unit_id IN (SELECT unit_id FROM {row_sums.PARTICIPANTS} '
        "WHERE campaign_id = %s)", [campaign.pk, kept.TOTAL_KEY, campaign.pk])[0])


def _keyed(scope: Scope, keys: str, params: list) -> list[tuple]:
    """(key, five sums) of the scope: the filtered unit's own totals, or the whole
    campaign's as the subtree totals of the roots of the unit tree."""
    if scope.unit is not None:
        # own_activities > 0: a unit whose only figures are its subtree's has a row too.
        figures, who, extra = OWN_SUMS, "t.unit_id = %s AND t.own_activities > 0", [
            scope.unit.pk]
    else:
        figures, extra = TREE_SUMS, []
        who = f"t.unit_id IN (SELECT id FROM {row_sums.UNITS} WHERE reports_to_id IS NULL)"  # noqa: S608
    return row_sums.fetch(
        f'SELECT t."key", {figures} FROM {TOTALS} t WHERE t.campaign_id = %s '  # noqa: S608
        f'AND {keys} AND {who} GROUP BY t."key"', [scope.campaign.pk, *params, *extra])


def by_tags(scope: Scope, total: Totals) -> dict[str, list[tuple[str, Totals]]]:
    """{kind: [(label, totals)]} for the service areas, activity types and 五社 elements.
    An activity with two entries counts under both, so the lines may add up to more than
    the total; the 未填写 line holds the activities with none of that list. A date range
    has no total per item and day: it is summed from the rows (row_sums), as is a campaign
    whose non-participants sent rows."""
    if scope.strict or scope.start is not None or scope.end is not None:
        return row_sums.by_tags(scope, total)
    items = [i for i in scope.campaign.vocabulary_items.all() if i.kind in TAG_KINDS]
    sums, tagged = {}, {}
    for key, *rest in _keyed(scope, '(t."key" LIKE %s OR t."key" LIKE %s)', ["t%", "k%"]):
        if key.startswith("t"):
            sums[int(key[1:])] = row_sums.as_totals(*rest)
        else:
            tagged[key[1:]] = row_sums.as_totals(*rest)
    return row_sums.tag_lines(items, sums, tagged, total)


def by_day(scope: Scope) -> list[tuple[date | None, Totals]]:
    if scope.strict:
        return row_sums.by_day(scope)
    keys, params = _key_range(scope)
    if not params[0]:  # no date range: every day's key, and the undated one
        keys, params = 't."key" LIKE %s', ["d%"]
    lines = [(date.fromisoformat(key[1:]) if len(key) > 1 else None, row_sums.as_totals(*rest))
             for key, *rest in _keyed(scope, keys, params)]
    return row_sums.in_day_order(lines)


def total_of(lines: Iterable[tuple[object, Totals]]) -> Totals:
    return sum((line for _, line in lines), Totals())


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


def rollup(campaign: Campaign, parent: Unit) -> list[tuple[Unit, Totals]]:
    """Totals of the whole subtree of each unit reporting straight to `parent`, plus the
    parent's own activities (first line, when there are any): "the region by city", "a
    league by county", at any depth. The children's maintained subtree totals: a few rows
    per round, whatever the number of activities under them."""
    sums = {unit_id: (row_sums.as_totals(*figures[:5]), row_sums.as_totals(*figures[5:]))
            for unit_id, *figures in row_sums.fetch(
                f"SELECT t.unit_id, {TREE_SUMS}, {OWN_SUMS} FROM {TOTALS} t "  # noqa: S608
                f"WHERE t.campaign_id = %s AND t.\"key\" = %s AND t.unit_id IN "
                f"(SELECT id FROM {row_sums.UNITS} WHERE reports_to_id = %s OR id = %s) "
                "GROUP BY t.unit_id", [campaign.pk, kept.TOTAL_KEY, parent.pk, parent.pk])}
    children = list(Unit.objects.filter(reports_to=parent).order_by("code"))
    own = sums.get(parent.pk, (Totals(), Totals()))[1]
    lines = [(parent, own)] if own.activities else []
    return lines + [(child, sums.get(child.pk, (Totals(),))[0]) for child in children]
