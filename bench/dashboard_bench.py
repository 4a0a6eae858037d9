"""Benchmark of the dashboard's queries on a large generated campaign (issue 6).

    .venv/bin/python bench/dashboard_bench.py [--units 40000] [--activities 500000] [--runs 7]

Builds a SQLite database in a temporary folder, migrated by Django, and fills it with plain
executemany (bulk_create is several times slower at this size): a region, 12 leagues, their
counties and stations (four levels, `--units` in all) and `--activities` activities spread
over every unit. Every unit except the region takes part, so the matrix has one row per
unit (the page shows 100 rows; its reporting rates count all of them).

Prints the median of `--runs` runs of:
- the whole region's totals by city (oversight.dashboard.rollup of the region, read from
  the maintained totals since issue 17), target < 150 ms, against the per-request row
  sums (oversight.row_sums.rollup) without the covering index (only the plain
  (campaign, unit) index of progress) and against a plain Python aggregation;
- one league's totals by county, target < 50 ms, against the same row sums;
  bench/national_scale.py measures both against the row sums with the index, on both
  databases;
- the dashboard page with the unit × deadline matrix, rendered through Django's test
  client, target < 1 s, against campaigns.status.status_matrix over every unit (what the
  overview does, no page).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEAGUES = 12
COUNTIES_PER_LEAGUE = 9
TARGETS = {"region": 0.150, "league": 0.050, "page": 1.0}


def django_setup(data_dir: str) -> None:
    os.environ.update({
        "SECRET_KEY": "bench-" + "k" * 40, "DEBUG": "1", "HTTPS": "0",
        "CAMPAIGNDESK_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "campaigndesk.settings",
        "ALLOWED_HOSTS": "testserver", "WHITENOISE_USE_FINDERS": "1", "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=1 only so that static files need no collectstatic; queries are not recorded.
    settings.DEBUG = False


def _columns(cursor, table: str) -> list[tuple[str, bool, object]]:
    cursor.execute(f"PRAGMA table_info({table})")
    return [(name, bool(notnull), default) for _, name, _, notnull, default, _ in
            cursor.fetchall()]


def insert(cursor, table: str, rows: list[dict]) -> None:
    """executemany with every NOT NULL column filled: columns added later by other apps
    (a version counter, a flag) get 0 unless the row names them."""
    names = [name for name, notnull, default in _columns(cursor, table)
             if name in rows[0] or (notnull and default is None and name != "id")]
    marks = ",".join(["%s"] * len(names))
    cursor.executemany(
        f"INSERT INTO {table} ({','.join(names)}) VALUES ({marks})",  # noqa: S608
        [tuple(row.get(name, 0) for name in names) for row in rows])


def build(units: int, activities: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from campaigndesk.campaigns.models import Campaign, Deadline, DeadlineKind
    from campaigndesk.units.models import Role, User

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    rnd = random.Random(6)
    rows, next_id = [], 1

    def unit(level: str, parent: dict | None, code: str, name: str) -> dict:
        nonlocal next_id
        path = f"{parent['report_path'] if parent else '/'}{next_id}/"
        row = {"id": next_id, "code": code, "name": name, "short_names": "[]", "level": level,
               "geo_parent_id": parent["id"] if parent else None,
               "reports_to_id": parent["id"] if parent else None, "report_path": path,
               "is_active": True}
        next_id += 1
        rows.append(row)
        return row

    region = unit("region", None, "150000", "内蒙古自治区")
    leagues = [unit("league", region, f"15{n + 1:02d}00", f"第{n + 1}盟市") for n in
               range(LEAGUES)]
    counties = [unit("county", league, f"{league['code'][:4]}{c + 1:02d}", f"{league['name']}"
                     f"第{c + 1}旗县") for league in leagues for c in range(COUNTIES_PER_LEAGUE)]
    stations = units - len(rows)
    for s in range(stations):
        county = counties[s % len(counties)]
        unit("grassroots", county, f"{county['code']}{s:06d}", f"{county['name']}社工站{s}")
    with transaction.atomic(), connection.cursor() as cursor:
        insert(cursor, "units_unit", rows)
    admin = User.objects.create(username="bench-admin", role=Role.REGION_ADMIN)
    campaign = Campaign.objects.create(year=2022, title="基准测试活动", slogan="五社联动聚合力",
                                       start_date=date(2022, 3, 17), end_date=date(2022, 3, 31))
    due = [timezone.make_aware(datetime(2022, 3, d, 17)) for d in (24, 31)]
    deadlines = [Deadline.objects.create(campaign=campaign, kind=DeadlineKind.PROGRESS,
                                         title=f"第{i + 1}次工作进展报送", due_at=at)
                 for i, at in enumerate(due)]
    deadlines.append(Deadline.objects.create(
        campaign=campaign, kind=DeadlineKind.SUMMARY, title="活动总结报送",
        due_at=timezone.make_aware(datetime(2022, 4, 5, 23, 59))))
    members = [row["id"] for row in rows[1:]]
    stamp = "2022-03-24 08:00:00"
    with transaction.atomic(), connection.cursor() as cursor:
        insert(cursor, "campaigns_campaign_participants",
               [{"campaign_id": campaign.pk, "unit_id": u} for u in members])
        insert(cursor, "progress_report", [
            {"id": u, "deadline_id": deadlines[0].pk, "unit_id": u, "status": "submitted",
             "reporter_name": "", "reporter_phone": "", "filled_date": None, "revision": 0}
            for u in members])
        # What the dashboard counts is what was sent: one version per report, its rows in
        # progress_reportedactivity (progress.reported).
        insert(cursor, "progress_reportversion", [
            {"id": u, "report_id": u, "number": 1, "submitted_at": stamp,
             "submitted_by_id": admin.pk, "snapshot": "{}"} for u in members])
        submitted = [u for u in members if rnd.random() < 0.6]
        insert(cursor, "campaigns_submission", [
            {"deadline_id": deadlines[0].pk, "unit_id": u, "submitted_by_id": admin.pk,
             "submitted_at": "2022-03-24 09:30:00" if rnd.random() < 0.2 else stamp}
            for u in submitted])
        batch = []
        for i in range(activities):
            u = rnd.choice(members)
            start = date(2022, 3, 17) + timedelta(days=rnd.randrange(15))
            batch.append({
                "campaign_id": campaign.pk, "unit_id": u, "report_id": u, "version_id": u,
                "deadline_id": deadlines[0].pk, "source_id": None, "position": i,
                "name": f"活动{i}", "organizations": "[]", "participants": rnd.randrange(200),
                "start_date": start.isoformat(), "end_date": start.isoformat(),
                "location": "", "content": "", "service_other": "",
                "beneficiaries": rnd.randrange(500), "funds_fen": rnd.randrange(10**6),
                "materials_fen": rnd.randrange(10**5), "remarks": "",
                "is_current": rnd.random() >= 0.02,  # 2%: an earlier, replaced version
                "within_bureau": False})
            if len(batch) == 50_000:
                insert(cursor, "progress_reportedactivity", batch)
                batch = []
        if batch:
            insert(cursor, "progress_reportedactivity", batch)
        # The dashboard reads the maintained totals (progress.totals), made from these rows.
        from campaigndesk.progress import totals

        totals.rebuild(campaign.pk)
        cursor.execute("ANALYZE")
    return {"seconds": time.perf_counter() - t0, "campaign": campaign, "admin": admin,
            "region": region["id"], "league": leagues[3]["id"]}


def median(function, runs: int) -> float:
    function()  # warm the page cache and Django's template cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def python_rollup(campaign, parent) -> dict:
    """Baseline: fetch every reported activity's unit and figures, sum in Python."""
    from campaigndesk.progress.reported import reported
    from campaigndesk.units.models import Unit

    child = {u.pk: u.pk for u in Unit.objects.filter(reports_to=parent)}
    paths = dict(Unit.objects.values_list("pk", "report_path"))
    prefix = len(parent.report_path)
    by_path = {paths[c][:]: c for c in child}
    sums: dict[int, list[int]] = {}
    for unit_id, p, b, f, m in (reported(campaign)
                                .values_list("unit_id", "participants", "beneficiaries",
                                             "funds_fen", "materials_fen").iterator(10_000)):
        path = paths[unit_id]
        key = by_path.get(path[:path.find("/", prefix) + 1])
        line = sums.setdefault(key, [0, 0, 0, 0, 0])
        line[0] += 1
        line[1] += p
        line[2] += b
        line[3] += f
        line[4] += m
    return sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=40_000)
    parser.add_argument("--activities", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as folder:
        django_setup(folder)
        from django.db import connection
        from django.test import Client

        from campaigndesk.campaigns.status import status_matrix
        from campaigndesk.oversight import dashboard, row_sums
        from campaigndesk.units.models import Unit

        built = build(args.units, args.activities)
        print(f"generated {args.units:,} units and {args.activities:,} activities with "
              f"executemany in {built['seconds']:.1f} s")
        campaign = built["campaign"]
        region = Unit.objects.get(pk=built["region"])
        league = Unit.objects.get(pk=built["league"])
        by_city = dashboard.rollup(campaign, region)
        assert len(by_city) == LEAGUES, len(by_city)
        python = python_rollup(campaign, region)
        assert sorted(t.activities for _, t in by_city) == sorted(v[0] for v in python.values())
        client = Client()
        client.force_login(built["admin"])
        url = f"/campaigns/{campaign.pk}/dashboard/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert b'id="status-matrix"' in response.content

        def page():
            client.get(url)

        def overview_matrix():
            status_matrix(campaign, campaign.participants.order_by("code"))

        results = {
            "region": median(lambda: dashboard.rollup(campaign, region), args.runs),
            "league": median(lambda: dashboard.rollup(campaign, league), args.runs),
            "page": median(page, args.runs),
        }
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX oversight_reported_totals")
        # Before issue 17 the roll-ups summed the rows per request (now row_sums).
        plain = {
            "region": median(lambda: row_sums.rollup(campaign, region), args.runs),
            "league": median(lambda: row_sums.rollup(campaign, league), args.runs),
        }
        python_time = median(lambda: python_rollup(campaign, region), max(3, args.runs // 2))
        matrix_time = median(overview_matrix, max(3, args.runs // 2))
        rows = [
            ("region totals by city", "region",
             f"{plain['region'] / results['region']:.1f}x faster than the row sums without the "
             f"covering index ({plain['region'] * 1000:.0f} ms), "
             f"{python_time / results['region']:.1f}x than a Python aggregation "
             f"({python_time * 1000:.0f} ms)"),
            ("one league by county", "league",
             f"{plain['league'] / results['league']:.1f}x faster than the row sums without the "
             f"covering index ({plain['league'] * 1000:.0f} ms)"),
            (f"dashboard page ({len(by_city)} cities, {args.units - 1:,} units in the matrix)",
             "page", f"the overview's unpaged status_matrix alone takes "
                     f"{matrix_time * 1000:.0f} ms ({matrix_time / results['page']:.1f}x)"),
        ]
        print(f"median of {args.runs} runs, SQLite {connection.Database.sqlite_version}")
        for title, key, note in rows:
            verdict = "ok" if results[key] < TARGETS[key] else "OVER TARGET"
            print(f"  {title}: {results[key] * 1000:.1f} ms (target < "
                  f"{TARGETS[key] * 1000:.0f} ms, {verdict}); {note}")


if __name__ == "__main__":
    main()
