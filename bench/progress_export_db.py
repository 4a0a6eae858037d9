"""Benchmark: the consolidated workbook of a 200,000-activity campaign, from the database.

    .venv/bin/python bench/progress_export_db.py [--rows 200000]

Builds a SQLite database in a temporary folder (the demo's 2022 campaign, then the
activities spread over the 14 reporting units with plain executemany) and measures, each
in its own subprocess so that the peak RSS is that of the measurement alone:

- the product's export: `write_consolidated_file` (queries + row iterator + XlsxWriter
  constant_memory), exactly what the 下载汇总表 button and `export_progress` run;
- the baseline: plain XlsxWriter constant_memory writing the same rows x 12 cells from a
  Python list that was read from the database beforehand (reading it is not timed).

Targets (issue 3): within 1.3x of the baseline, under 200 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup(data_dir: str) -> None:
    os.environ.update({
        "SECRET_KEY": "bench-" + "k" * 40, "DEBUG": "0", "CAMPAIGNDESK_DEMO": "1",
        "CAMPAIGNDESK_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "campaigndesk.settings",
    })
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(rows: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from campaigndesk.campaigns.models import Campaign, VocabularyKind
    from campaigndesk.demo import load_demo
    from campaigndesk.progress import services
    from campaigndesk.progress.models import ReportVersion
    from campaigndesk.units.models import User

    call_command("migrate", verbosity=0)
    load_demo(samples=False)
    campaign = Campaign.objects.get(year=2022)
    units = list(campaign.participants.order_by("code"))
    reports = [services.current_report(campaign, unit) for unit in units]
    # The workbook holds what was sent: one submitted version per unit, its rows as sent.
    sender = User.objects.get(username="region-admin")
    versions = [ReportVersion.objects.create(report=r, number=1, submitted_by=sender,
                                             submitted_at=r.deadline.due_at, snapshot={})
                for r in reports]
    areas = list(campaign.vocabulary_items.filter(kind=VocabularyKind.SERVICE_AREA)
                 .values_list("pk", flat=True))
    rnd = random.Random(7)
    activity_rows, tag_rows = [], []
    for i in range(rows):
        unit, report = units[i % len(units)], reports[i % len(units)]
        version = versions[i % len(units)]
        start = date(2022, 3, 17) + timedelta(days=rnd.randrange(15))
        activity_rows.append((
            campaign.pk, unit.pk, report.pk, version.pk, report.deadline_id, i,
            f"社工宣传活动第{i}场",
            json.dumps(["社会工作服务中心", "社区志愿者服务队"], ensure_ascii=False),
            rnd.randrange(5, 200), start.isoformat(), start.isoformat(), "社区服务中心",
            "宣传社会工作政策法规，发放宣传册，现场咨询答疑", "", rnd.randrange(10, 500),
            rnd.randrange(0, 10_000_00), rnd.randrange(0, 5_000_00), "", True, False))
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO progress_reportedactivity (campaign_id, unit_id, report_id,"
            " version_id, deadline_id, position, name,"
            " organizations, participants, start_date, end_date, location, content,"
            " service_other, beneficiaries, funds_fen, materials_fen, remarks, is_current,"
            " within_bureau)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            activity_rows)
        cursor.execute("SELECT id FROM progress_reportedactivity ORDER BY id")
        for (activity_id,) in cursor.fetchall():
            tag_rows.append((activity_id, rnd.choice(areas)))
        cursor.executemany(
            "INSERT INTO progress_reportedactivity_tags (reportedactivity_id, vocabularyitem_id)"
            " VALUES (%s,%s)",
            tag_rows)
    return {"seconds": time.perf_counter() - t0, "campaign": campaign.pk}


def measure_export(path: str) -> dict:
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.progress.exports import write_consolidated_file

    campaign = Campaign.objects.get(year=2022)
    t0 = time.perf_counter()
    with open(path, "wb") as handle:
        write_consolidated_file(campaign, handle)
    return {"seconds": time.perf_counter() - t0}


def measure_baseline(path: str) -> dict:
    import xlsxwriter

    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.progress import excel_out
    from campaigndesk.progress.exports import activity_rows
    from campaigndesk.progress.reported import reported

    campaign = Campaign.objects.get(year=2022)
    by_unit: dict[int, list[list]] = {}
    for unit in campaign.participants.order_by("code"):
        activities = reported(campaign).filter(unit=unit).order_by("pk")
        for row in activity_rows(activities, campaign):
            cells = excel_out.activity_cells(row, len(by_unit.get(unit.pk, [])) + 1)
            cells[9], cells[10] = cells[9] / 100, cells[10] / 100
            by_unit.setdefault(unit.pk, []).append(cells)
    t0 = time.perf_counter()
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    for unit_id, rows in by_unit.items():
        sheet = book.add_worksheet(str(unit_id))
        for r, cells in enumerate(rows):
            sheet.write_row(r, 0, cells)
    book.close()
    return {"seconds": time.perf_counter() - t0, "rows": sum(map(len, by_unit.values()))}


def child(args) -> None:
    django_setup(args.data_dir)
    if args.measure == "build":
        out = build(args.rows)
    elif args.measure == "export":
        out = measure_export(args.file)
    else:
        out = measure_baseline(args.file)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(measure: str, data_dir: str, file: str, rows: int) -> dict:
    cmd = [sys.executable, __file__, "--measure", measure, "--data-dir", data_dir,
           "--file", file, "--rows", str(rows)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        built = run_child("build", tmp, "", args.rows)
        print(f"database: {args.rows} activities in 14 units inserted in {built['seconds']:.1f} s")
        ours = run_child("export", tmp, str(Path(tmp) / "consolidated.xlsx"), args.rows)
        base = run_child("baseline", tmp, str(Path(tmp) / "baseline.xlsx"), args.rows)
        size = (Path(tmp) / "consolidated.xlsx").stat().st_size / 1024 / 1024
    ratio = ours["seconds"] / base["seconds"]
    print(f"{'measurement':44} {'seconds':>8} {'peak RSS':>10}")
    print(f"{'export from the database (project)':44} {ours['seconds']:8.2f} "
          f"{ours['peak_mb']:7.0f} MB")
    print(f"{'plain XlsxWriter from a list (baseline)':44} {base['seconds']:8.2f} "
          f"{base['peak_mb']:7.0f} MB")
    print(f"\nworkbook {size:.1f} MB; project / baseline = {ratio:.2f}x (target <= 1.3x), "
          f"peak {ours['peak_mb']:.0f} MB (target < 200 MB)")
    print("targets met" if ratio <= 1.3 and ours["peak_mb"] < 200 else "TARGETS MISSED")


if __name__ == "__main__":
    main()
