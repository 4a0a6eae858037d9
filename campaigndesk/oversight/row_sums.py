"""Sums over the reported rows themselves, made per request: what the dashboard did before
the maintained totals (progress.totals).

The dashboard now reads progress_reportedtotal (oversight.dashboard). These stay for what
no maintained total can answer — the tags of a date-filtered view (a total per tag and per
day would be a table per pair), and a campaign where units outside the participants sent
rows, which the workbook leaves out — and as the other side of two checks: a test that
the dashboard's figures equal these, and bench/national_scale.py's ratio.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection

from campaigndesk.campaigns.models import Campaign, VocabularyItem, VocabularyKind
from campaigndesk.progress.models import ReportedActivity
from campaigndesk.progress.table import Totals
from campaigndesk.units.models import Unit

if TYPE_CHECKING:
    from .dashboard import Filters

TAG_KINDS = (VocabularyKind.SERVICE_AREA, VocabularyKind.ACTIVITY_TYPE,
             VocabularyKind.FIVE_SOCIAL)

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
    filters: Filters | None  # None: no filter
    strict: bool = False

    @property
    def unit(self) -> Unit | None:
        return self.filters.unit if self.filters else None

    @property
    def start(self) -> date | None:
        return self.filters.start if self.filters else None

    @property
    def end(self) -> date | None:
        return self.filters.end if self.filters else None

    def where(self, alias: str = "a") -> tuple[str, list]:
        # within_bureau: a county's rows sent to its bureau reach the region inside the
        # bureau's report (progress.reported), never on their own.
        sql = [f"{alias}.campaign_id = %s", f"{alias}.is_current = %s",
               f"{alias}.within_bureau = %s"]
        params: list = [self.campaign.pk, True, False]
        if self.unit is not None:
            sql.append(f"{alias}.unit_id = %s")
            params.append(self.unit.pk)
        elif self.strict:
            sql.append(f"{alias}.unit_id IN (SELECT unit_id FROM {PARTICIPANTS} "  # noqa: S608
                       "WHERE campaign_id = %s)")
            params.append(self.campaign.pk)
        if self.start is not None:
            sql.append(f"{alias}.start_date >= %s")
            params.append(self.start.isoformat())
        if self.end is not None:
            sql.append(f"{alias}.start_date <= %s")
            params.append(self.end.isoformat())
        return " AND ".join(sql), params


SUM_COLUMNS = ("COUNT(*), SUM(a.participants), SUM(a.beneficiaries), SUM(a.funds_fen), "
               "SUM(a.materials_fen)")


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_totals(n, p, b, f, m) -> Totals:
    # PostgreSQL sums bigint columns (the maintained totals, amounts) as numeric: Decimal.
    return Totals(int(n or 0), int(p or 0), int(b or 0), int(f or 0), int(m or 0))


def _as_date(value) -> date | None:
    # SQLite hands back the ISO text of a raw column; PostgreSQL a date.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def unit_sums(scope: Scope) -> dict[int, Totals]:
    """{unit id: totals} of every unit with reported rows in the scope."""
    where, params = scope.where()
    return {row[0]: as_totals(*row[1:]) for row in fetch(
        f"SELECT a.unit_id, {SUM_COLUMNS} FROM {ACTIVITY} a WHERE {where} "  # noqa: S608
        "GROUP BY a.unit_id", params)}


def participants_total(campaign: Campaign) -> Totals:
    """The campaign's total over its participating units, as one one-row query."""
    where, params = Scope(campaign, None, strict=True).where()
    return as_totals(*fetch(
        f"SELECT {SUM_COLUMNS} FROM {ACTIVITY} a WHERE {where}", params)[0])  # noqa: S608


def by_tags(scope: Scope, total: Totals) -> dict[str, list[tuple[str, Totals]]]:
    """{kind: [(label, totals)]} for the service areas, activity types and 五社 elements.
    An activity with two entries counts under both, so the lines may add up to more than
    the total; the 未填写 line holds the activities with none of that list."""
    where, params = scope.where()
    items = [i for i in scope.campaign.vocabulary_items.all() if i.kind in TAG_KINDS]
    sums = {row[0]: as_totals(*row[1:]) for row in fetch(
        f"SELECT t.vocabularyitem_id, {SUM_COLUMNS} FROM {TAGS} t "  # noqa: S608
        f"JOIN {ACTIVITY} a ON a.id = t.reportedactivity_id "
        f"JOIN {VOCABULARY} v ON v.id = t.vocabularyitem_id "
        f"WHERE v.campaign_id = %s AND v.kind IN (%s, %s, %s) AND {where} "
        "GROUP BY t.vocabularyitem_id", [scope.campaign.pk, *TAG_KINDS, *params])}
    tagged = {row[0]: as_totals(*row[1:]) for row in fetch(
        f"SELECT k.kind, {SUM_COLUMNS} FROM {ACTIVITY} a JOIN ("  # noqa: S608
        f"SELECT DISTINCT t.reportedactivity_id AS activity_id, v.kind FROM {TAGS} t "
        f"JOIN {VOCABULARY} v ON v.id = t.vocabularyitem_id "
        "WHERE v.campaign_id = %s AND v.kind IN (%s, %s, %s)) k ON k.activity_id = a.id "
        f"WHERE {where} GROUP BY k.kind", [scope.campaign.pk, *TAG_KINDS, *params])}
    return tag_lines(items, sums, tagged, total)


def tag_lines(items: list[VocabularyItem], sums: dict[int, Totals], tagged: dict[str, Totals],
              total: Totals) -> dict[str, list[tuple[str, Totals]]]:
    """The lines of each kind from the sums per item and per kind (activities with at
    least one item of it), whoever summed them."""
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
    rows = fetch(f"SELECT a.start_date, {SUM_COLUMNS} FROM {ACTIVITY} a "  # noqa: S608
                 f"WHERE {where} GROUP BY a.start_date ORDER BY a.start_date", params)
    return in_day_order([(_as_date(day), as_totals(*rest)) for day, *rest in rows])


def in_day_order(lines: list[tuple[date | None, Totals]]) -> list[tuple[date | None, Totals]]:
    """By day, the activities without a date last: one order on both databases (SQL puts
    NULL first on SQLite, last on PostgreSQL)."""
    return sorted(lines, key=lambda line: (line[0] is None, line[0] or date.min))


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
    where, params = Scope(campaign, None).where()
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
    sums = {child: as_totals(*rest)
            for child, *rest in fetch(sql, [*params, depth, depth, low, high])}
    children = list(Unit.objects.filter(reports_to=parent).order_by("code"))
    lines = [(parent, sums[parent.report_path])] if parent.report_path in sums else []
    return lines + [(child, sums.get(child.report_path, Totals())) for child in children]
