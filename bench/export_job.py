"""Benchmark: a 500,000-row consolidated workbook made as a background job, progress
watched, against the inline `write_consolidated_file` in the same run.

    .venv/bin/python bench/export_job.py [--rows 500000]

Builds the database like bench/progress_export_db.py (SQLite in a temporary folder: the
2022 demo, the activities sent by the 14 units), then in this one run:

- inline: `write_consolidated_file` into a file, as the request did before issue 17;
- as a job: a real `campaigndesk run_worker` on the same database, the job started through
  `jobs.services.start_job` as a region reviewer would, its row read every 0.5 s as the
  job's page does; times from the start to the file, and what the page would have shown.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import progress_export_db as built_db  # noqa: E402  (the same database builder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        built = built_db.run_child("build", tmp, "", args.rows)
        print(f"database: {args.rows:,} activities in 14 units inserted in "
              f"{built['seconds']:.1f} s")
        built_db.django_setup(tmp)
        from campaigndesk.campaigns.models import Campaign
        from campaigndesk.jobs import files, services
        from campaigndesk.jobs.models import Job, JobState
        from campaigndesk.progress.exports import write_consolidated_file
        from campaigndesk.units.models import User

        campaign = Campaign.objects.get(year=2022)
        t0 = time.perf_counter()
        with open(Path(tmp) / "inline.xlsx", "wb") as handle:
            write_consolidated_file(campaign, handle)
        inline = time.perf_counter() - t0

        env = {**os.environ, "JOBS_WORKERS": "1"}
        worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            time.sleep(3)  # the worker's start-up is not the job's time
            t0 = time.perf_counter()
            job = services.start_job(User.objects.get(username="reviewer"),
                                     "progress.consolidated", campaign=campaign)
            seen: list[tuple[float, int, str]] = []
            while True:
                job.refresh_from_db()
                if not seen or seen[-1][1:] != (job.progress, job.step):
                    seen.append((time.perf_counter() - t0, job.progress, job.step))
                if job.state in {JobState.DONE, JobState.FAILED}:
                    break
                time.sleep(0.5)
            total = time.perf_counter() - t0
        finally:
            worker.terminate()
            worker.wait(60)
        if job.state == JobState.FAILED:
            sys.exit(f"the job failed: {job.error}")
        run = (job.finished_at - job.started_at).total_seconds()
        size = files.path_for(job.result_path).stat().st_size / 1024 / 1024
        same = size and abs(size - (Path(tmp) / "inline.xlsx").stat().st_size / 1024 / 1024)
        print("progress as the job's page saw it (seconds, percent, step):")
        step = max(1, len(seen) // 12)
        for at, percent, text in seen[::step] + ([seen[-1]] if len(seen) % step else []):
            print(f"  {at:6.1f} s {percent:3d}%  {text}")
        print(f"\n{'measurement':46} {'seconds':>8}")
        print(f"{'inline write_consolidated_file':46} {inline:8.2f}")
        print(f"{'job: start to file offered (queue + run)':46} {total:8.2f}")
        print(f"{'job: run in the worker':46} {run:8.2f}")
        print(f"\njob / inline = {total / inline:.2f}x (run alone {run / inline:.2f}x); "
              f"{len(seen)} distinct progress readings; workbook {size:.1f} MB "
              f"(differs from the inline one by {same:.2f} MB)")
        Job.objects.all().delete()


if __name__ == "__main__":
    main()
