"""The maintained totals of what was submitted (ReportedTotal): written, never summed per page.

Only two things change what a unit's subtree adds up to:

- a submission (first, on time or late, after a reopening, by mail, by import confirmation
  or through the API: all of them go through services.submit_report, which calls
  reported.freeze) replaces the round's counted rows of one unit: `replace_own`;
- a unit moved to another parent (units.services) takes its subtree's figures from its old
  ancestors to its new ones: `move_subtree`.

What counts is what the region counts (progress.reported.reported): a cascade member's
rows sent to its bureau (issue 17, `within_bureau`) count only inside the bureau's report,
as the bureau's own, so every county row is counted once (see reported.freeze).

Saving a draft, reopening a round (it keeps counting its last submitted version) and
anything else leave the counted rows as they are, so they leave the totals alone. Both
functions run inside the caller's transaction, so the totals and the rows commit together.

`rebuild` makes every row again from progress_reportedactivity in SQL; a test runs random
transitions and checks that the two agree on SQLite and PostgreSQL.

Concurrency: every submission adds to the rows of all its ancestors, the region's
included. Rows are written in one order (root first, then by unit and key), so two
submissions wait for each other on PostgreSQL instead of deadlocking; SQLite has one
writer anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection

from .models import ReportedActivity, ReportedTotal

FIGURES = ("activities", "participants", "beneficiaries", "funds_fen", "materials_fen")
OWN = tuple(f"own_{name}" for name in FIGURES)
TREE = tuple(f"tree_{name}" for name in FIGURES)
ZERO = (0, 0, 0, 0, 0)
TOTAL_KEY = ""

TABLE = ReportedTotal._meta.db_table
ACTIVITY = ReportedActivity._meta.db_table
TAGS = ReportedActivity.tags.through._meta.db_table
COLUMNS = ("campaign_id", "deadline_id", "unit_id", '"key"', *OWN, *TREE)
BATCH = 500  # rows of one INSERT: 14 parameters each, well under SQLite's 32,766


def day_key(start: date | None) -> str:
    return "d" + start.isoformat() if start else "d"


def tag_key(item_id: int) -> str:
    return f"t{item_id}"


def kind_key(kind: str) -> str:
    """Activities with at least one item of the kind: the 未填写 line is the total minus it."""
    return f"k{kind}"


def path_ids(path: str) -> list[int]:
    """"/1/5/9/" → [1, 5, 9]: the unit's ancestors along reports_to, root first, itself last."""
    return [int(part) for part in path.split("/") if part]


def sums_of(rows: Iterable[tuple[Sequence[int], date | None, Iterable[int]]],
            kind_of: dict[int, str]) -> dict[str, list[int]]:
    """{key: five sums} of rows given as (figures, start date, vocabulary item ids)."""
    sums: dict[str, list[int]] = {}
    for figures, start, item_ids in rows:
        items = set(item_ids)
        keys = [TOTAL_KEY, day_key(start), *(tag_key(i) for i in items),
                *{kind_key(kind_of[i]) for i in items if i in kind_of}]
        for key in keys:
            line = sums.setdefault(key, [0, 0, 0, 0, 0])
            for n, value in enumerate(figures):
                line[n] += value
    return sums


def _upsert(campaign_id: int, deadline_id: int, rows: list[tuple], *, set_own: bool) -> None:
    """rows: (unit_id, key, own five, tree delta five). The tree figures are added to what
    the row holds; the own ones replace it when `set_own` (the submitting unit), and are
    left alone otherwise (an ancestor)."""
    if not rows:
        return
    updates = [f"{c} = excluded.{c}" for c in OWN] if set_own else []
    updates += [f"{c} = {TABLE}.{c} + excluded.{c}" for c in TREE]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            values = ",".join(["(" + ",".join(["%s"] * len(COLUMNS)) + ")"] * len(chunk))
            params = [value for unit_id, key, own, tree in chunk
                      for value in (campaign_id, deadline_id, unit_id, key, *own, *tree)]
            cursor.execute(
                f"INSERT INTO {TABLE} ({','.join(COLUMNS)}) VALUES {values} "  # noqa: S608
                f'ON CONFLICT (campaign_id, deadline_id, unit_id, "key") DO UPDATE SET '
                f"{', '.join(updates)}", params)


def _drop_empty(campaign_id: int, deadline_id: int, unit_ids: list[int]) -> None:
    # A row with no activity has every figure at zero: gone, as a rebuild would not make it.
    ReportedTotal.objects.filter(campaign_id=campaign_id, deadline_id=deadline_id,
                                 unit_id__in=unit_ids, own_activities=0,
                                 tree_activities=0).delete()


def replace_own(campaign_id: int, deadline_id: int, unit_id: int, report_path: str,
                new: dict[str, list[int]]) -> None:
    """The unit's counted rows of the round are now `new` ({key: five sums}): set its own
    figures and add the difference to its and every ancestor's subtree figures."""
    old = {key: tuple(rest) for key, *rest in ReportedTotal.objects.filter(
        campaign_id=campaign_id, deadline_id=deadline_id, unit_id=unit_id,
        own_activities__gt=0).values_list("key", *OWN)}
    delta = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, ZERO), tuple(new.get(key, ZERO))
        if before != after:
            delta[key] = (after, tuple(a - b for a, b in zip(after, before, strict=True)))
    if not delta:
        return
    ancestors = path_ids(report_path)[:-1]
    _upsert(campaign_id, deadline_id,
            [(a, key, ZERO, change) for a in ancestors for key, (_, change) in delta.items()],
            set_own=False)
    _upsert(campaign_id, deadline_id,
            [(unit_id, key, after, change) for key, (after, change) in delta.items()],
            set_own=True)
    _drop_empty(campaign_id, deadline_id, [*ancestors, unit_id])


def move_subtree(unit_id: int, old_path: str, new_path: str) -> None:
    """The unit now reports elsewhere: its subtree's figures (every campaign, round and key)
    leave the ancestors it no longer has and join the new ones. The subtree's own rows
    need nothing: what lies under the unit has not changed."""
    old, new = path_ids(old_path)[:-1], path_ids(new_path)[:-1]
    leaving = [a for a in old if a not in new]
    joining = [a for a in new if a not in old]
    if not leaving and not joining:
        return
    by_round: dict[tuple[int, int], list[tuple]] = {}
    for campaign_id, deadline_id, key, *tree in ReportedTotal.objects.filter(
            unit_id=unit_id, tree_activities__gt=0).values_list(
            "campaign_id", "deadline_id", "key", *TREE).order_by("campaign_id", "deadline_id",
                                                                 "key"):
        by_round.setdefault((campaign_id, deadline_id), []).append((key, tuple(tree)))
    for (campaign_id, deadline_id), lines in by_round.items():
        rows = [(a, key, ZERO, tuple(-v for v in tree)) for a in leaving for key, tree in lines]
        rows += [(a, key, ZERO, tree) for a in joining for key, tree in lines]
        _upsert(campaign_id, deadline_id, rows, set_own=False)
        _drop_empty(campaign_id, deadline_id, leaving)


def _day_text(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM-DD')"
    return column  # SQLite keeps a date as its ISO text


def rebuild(campaign_id: int | None = None) -> int:
    """Make every total again from the counted rows (all campaigns, or one); returns the
    number of rows written. Plain SQL over fixed table names, so the migration that
    introduced the table can run it too. Call inside a transaction."""
    # The rows the region counts (progress.reported.reported): a cascade member's rows to
    # its bureau (within_bureau) count inside the bureau's report instead (see freeze).
    where, params = "a.is_current = %s AND a.within_bureau = %s", [True, False]
    if campaign_id is not None:
        where += " AND a.campaign_id = %s"
        params.append(campaign_id)
    group = "a.campaign_id, a.deadline_id, a.unit_id"
    sums = ("COUNT(*), SUM(a.participants), SUM(a.beneficiaries), SUM(a.funds_fen), "
            "SUM(a.materials_fen)")
    with connection.cursor() as cursor:
        if campaign_id is None:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE campaign_id = %s",  # noqa: S608
                           [campaign_id])
        for name in ("totals_own", "totals_ancestor"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute("CREATE TEMPORARY TABLE totals_own (campaign_id bigint, deadline_id "
                       'bigint, unit_id bigint, "key" varchar(40), n bigint, p bigint, '
                       "b bigint, f bigint, m bigint)")
        cursor.execute("CREATE TEMPORARY TABLE totals_ancestor (unit_id bigint, ancestor_id "
                       "bigint)")
        day = _day_text("a.start_date")
        cursor.execute(f"""
            INSERT INTO totals_own
            SELECT {group}, '', {sums} FROM {ACTIVITY} a WHERE {where} GROUP BY {group}
            UNION ALL
            SELECT {group}, COALESCE('d' || {day}, 'd'), {sums} FROM {ACTIVITY} a
            WHERE {where} GROUP BY {group}, a.start_date
            UNION ALL
            SELECT {group}, 't' || CAST(t.vocabularyitem_id AS TEXT), {sums}
            FROM {ACTIVITY} a JOIN {TAGS} t ON t.reportedactivity_id = a.id
            WHERE {where} GROUP BY {group}, t.vocabularyitem_id
            UNION ALL
            SELECT {group}, 'k' || k.kind, {sums} FROM {ACTIVITY} a JOIN (
                SELECT DISTINCT t.reportedactivity_id, v.kind FROM {TAGS} t
                JOIN campaigns_vocabularyitem v ON v.id = t.vocabularyitem_id) k
              ON k.reportedactivity_id = a.id
            WHERE {where} GROUP BY {group}, k.kind
        """, params * 4)  # noqa: S608 - fixed table names and clauses only
        cursor.execute("SELECT u.id, u.report_path FROM units_unit u WHERE u.id IN "
                       "(SELECT DISTINCT unit_id FROM totals_own)")
        pairs = [(unit, ancestor) for unit, path in cursor.fetchall()
                 for ancestor in path_ids(path)]
        for start in range(0, len(pairs), 10_000):
            cursor.executemany("INSERT INTO totals_ancestor VALUES (%s, %s)",
                               pairs[start:start + 10_000])
        own = ", ".join(f"SUM(CASE WHEN p.ancestor_id = s.unit_id THEN s.{c} ELSE 0 END)"
                        for c in "npbfm")
        cursor.execute(f"""
            INSERT INTO {TABLE} ({','.join(COLUMNS)})
            SELECT s.campaign_id, s.deadline_id, p.ancestor_id, s."key", {own},
                   SUM(s.n), SUM(s.p), SUM(s.b), SUM(s.f), SUM(s.m)
            FROM totals_own s JOIN totals_ancestor p ON p.unit_id = s.unit_id
            GROUP BY s.campaign_id, s.deadline_id, p.ancestor_id, s."key"
        """)  # noqa: S608
        written = cursor.rowcount
        for name in ("totals_own", "totals_ancestor"):
            cursor.execute(f"DROP TABLE {name}")
    return written


def table_rows(campaign_id: int | None = None) -> list[tuple]:
    """Every total as plain tuples in one order: what the rebuild test compares."""
    qs = ReportedTotal.objects.all()
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return list(qs.order_by("campaign_id", "deadline_id", "unit_id", "key").values_list(
        "campaign_id", "deadline_id", "unit_id", "key", *OWN, *TREE))
