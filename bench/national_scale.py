"""National scale (issue 17 point 3): the dashboards on maintained totals, both databases.

    .venv/bin/python bench/national_scale.py [--runs 7] [--activities 500000]

Runs one leg on SQLite and one on a throwaway PostgreSQL server (scripts/with-postgres.sh;
its server runs without fsync, as for the tests), each in its own process. Each leg
generates the national installation (progress.scale: a ministry, 31 provinces, ~340
prefectures, ~2,800 counties, ~40,000 townships, 500,000 submitted activities; the time is
printed), then takes the median of `--runs` runs of:

- national: the ministry's totals by province (the region/province dashboard's figure),
  target < 150 ms;
- province: one province's totals by prefecture, target < 150 ms;
- league: one prefecture's totals by county, target < 50 ms;
- page: the dashboard page with the unit × deadline matrix (43,000 units; figures per unit,
  by tag and by day, rates), GET through Django's test client logged in as the ministry's
  administrator, target < 1 s;
- league page: the same page as a prefecture's reporter (its own unit), target < 50 ms;

each against today's per-request sums over the rows (oversight.row_sums, swapped in for the
maintained totals in the same process, same data, same run), once on a quiet machine and
once with the other core loaded by a busy-looping Python process. The figures of both
ways are checked equal before anything is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.dashboard_bench import median  # noqa: E402 - after the path

TARGETS = {"national": 0.150, "province": 0.150, "league": 0.050, "page": 1.0,
           "league page": 0.050}
BUSY = "while True: pass"


def setup(data_dir: str) -> None:
    url = os.environ.get("DATABASE_URL")
    if url:  # a fresh database on the throwaway server, made through its postgres one
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")),
                             autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS campaigndesk_bench")
            conn.execute("CREATE DATABASE campaigndesk_bench")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/campaigndesk_bench"))
    os.environ.update({
        "SECRET_KEY": "bench-" + "k" * 40, "DEBUG": "1", "HTTPS": "0",
        "CAMPAIGNDESK_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "campaigndesk.settings",
        "ALLOWED_HOSTS": "testserver", "WHITENOISE_USE_FINDERS": "1", "LOG_LEVEL": "WARNING",
    })
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG=1 only to serve static files without collectstatic


class RowSums:
    """The dashboard on today's per-request sums: row_sums swapped in for the totals."""

    names = ("unit_sums", "by_tags", "by_day", "participants_total", "rollup")

    def __enter__(self):
        from campaigndesk.oversight import dashboard, row_sums

        self.saved = {name: getattr(dashboard, name) for name in self.names}
        for name in self.names:
            setattr(dashboard, name, getattr(row_sums, name))

    def __exit__(self, *exc):
        from campaigndesk.oversight import dashboard

        for name, function in self.saved.items():
            setattr(dashboard, name, function)


def leg(runs: int, activities: int, fraction: float) -> dict:
    folder = tempfile.mkdtemp(prefix="national-scale-")
    setup(folder)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from campaigndesk.oversight import dashboard
    from campaigndesk.progress import scale
    from campaigndesk.units.models import Unit

    call_command("migrate", verbosity=0)
    shape = {key: value if key == "provinces" else int(value * fraction)
             for key, value in scale.SHAPE.items()}
    made = scale.generate(shape=shape, activities=activities)
    campaign = made.campaign
    ministry, province, prefecture = (Unit.objects.get(pk=pk) for pk in
                                      (made.ministry, made.province, made.prefecture))
    admin, reporter = Client(), Client()
    admin.force_login(made.admin)
    reporter.force_login(made.prefecture_reporter)
    url = f"/campaigns/{campaign.pk}/dashboard/"

    def page(client):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    jobs = {
        "national": lambda: dashboard.rollup(campaign, ministry),
        "province": lambda: dashboard.rollup(campaign, province),
        "league": lambda: dashboard.rollup(campaign, prefecture),
        "page": lambda: page(admin),
        "league page": lambda: page(reporter),
    }
    # Both ways give the same figures (and pages) before anything is timed.
    kept = {name: job() for name, job in jobs.items()}
    with RowSums():
        rows = {name: job() for name, job in jobs.items()}
    for name in ("national", "province", "league"):
        assert kept[name] == rows[name], name
    assert len(kept["national"]) == 31
    assert b'id="status-matrix"' in kept["page"]
    assert kept["page"].count(b"<tr") == rows["page"].count(b"<tr")

    def measure() -> dict:
        result = {name: median(job, runs) for name, job in jobs.items()}
        with RowSums():
            before = {name: median(job, max(3, runs // 2)) for name, job in jobs.items()}
        return {"kept": result, "rows": before}

    quiet = measure()
    busy = subprocess.Popen([sys.executable, "-c", BUSY])
    try:
        time.sleep(1)
        loaded = measure()
    finally:
        busy.kill()
        busy.wait()
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        database = f"SQLite {connection.Database.sqlite_version}"
    from campaigndesk.progress.models import ReportedTotal

    return {"database": database, "units": made.units, "activities": made.activities,
            "generate": made.seconds, "totals": made.totals_seconds,
            "total_rows": ReportedTotal.objects.count(), "quiet": quiet, "loaded": loaded}


def report(result: dict) -> None:
    print(f"\n{result['database']}: {result['units']:,} units, {result['activities']:,} "
          f"activities generated in {result['generate']:.1f} s (of it the maintained totals "
          f"{result['totals']:.1f} s, {result['total_rows']:,} rows)")
    for state in ("quiet", "loaded"):
        print(f"  {state}{' (the other core busy-looping)' if state == 'loaded' else ''}:")
        for name, target in TARGETS.items():
            kept, rows = result[state]["kept"][name], result[state]["rows"][name]
            verdict = "ok" if kept < target else "OVER TARGET"
            print(f"    {name}: {kept * 1000:.1f} ms (target < {target * 1000:.0f} ms, "
                  f"{verdict}); per-request sums {rows * 1000:.1f} ms, {rows / kept:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--activities", type=int, default=500_000)
    parser.add_argument("--fraction", type=float, default=1.0,
                        help="units below the provinces, scaled (a quick try: 0.05)")
    parser.add_argument("--database", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--leg", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg:
        print("RESULT " + json.dumps(leg(args.runs, args.activities, args.fraction)))
        return
    own = [sys.executable, __file__, "--leg", "--runs", str(args.runs), "--activities",
           str(args.activities), "--fraction", str(args.fraction)]
    commands = []
    if args.database in ("both", "sqlite"):
        commands.append(("sqlite", own, {k: v for k, v in os.environ.items()
                                         if k != "DATABASE_URL"}))
    if args.database in ("both", "postgresql"):
        commands.append(("postgresql", ["bash", str(ROOT / "scripts/with-postgres.sh"), *own],
                         dict(os.environ)))
    for name, command, env in commands:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            print(f"{name} leg failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
            continue
        report(json.loads(lines[-1][len("RESULT "):]))


if __name__ == "__main__":
    main()
