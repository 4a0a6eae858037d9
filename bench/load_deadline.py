"""Load test: 200 reporters submitting in the last minutes before a deadline (issue 7 #18).

    .venv/bin/python bench/load_deadline.py [--reporters 200] [--window 600]
    .venv/bin/python bench/load_deadline.py --window 0 --concurrency 50   # all at once
    scripts/with-postgres.sh .venv/bin/python bench/load_deadline.py   # the PostgreSQL leg

Starts gunicorn on 127.0.0.1 (a free port) with production settings on a fresh data folder
(SQLite there, or the DATABASE_URL given, e.g. by scripts/with-postgres.sh), migrates,
loads the demo and adds `--reporters` grassroots units with one reporter each. Every
reporter logs in first (not timed: password hashing is deliberately slow), then each one
starts at a random moment of the last `--window` seconds before the deadline (the issue's
scenario: 200 reporters in the last 10 minutes; `--window 120` squeezes it five-fold), or,
with `--window 0`, all at once with `--concurrency` simulated browsers; each one:
  opens its grid, saves two activities, uploads a filled-in table (preview), confirms the
  import, and submits the round.
Prints throughput, p50/p95/max latency per step and overall, and errors; then counts in
the database that every reporter's round is submitted exactly once with its activities
(no lost submission). Exits 1 on any error or lost submission. Loopback traffic only;
every loop is bounded.

Target (issue 7): zero errors, zero lost submissions, p95 under 500 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "Bench#Load2026"  # noqa: S105

SETUP = '''
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", verbosity=0, interactive=False)
call_command("load_demo", verbosity=0)
from campaigndesk.campaigns.models import Campaign
from campaigndesk.units.models import Level, Role, Unit, User
from campaigndesk.units.services import create_unit
campaign = Campaign.objects.get(year=2022)
county = Unit.objects.filter(level=Level.COUNTY).order_by("code").first()
for n in range({count}):
    unit = create_unit(None, code=f"BENCH{{n:04d}}", name=f"压测社工站{{n}}",
                       level=Level.GRASSROOTS, geo_parent=county, reports_to=county)
    campaign.participants.add(unit)
    user = User(username=f"bench{{n:04d}}", role=Role.REPORTER, unit=unit)
    user.set_password("{password}")
    user.password_policy_exempt = True
    user.save()
'''

CHECK = '''
import json
import django
django.setup()
from campaigndesk.progress.models import Activity, Report, ReportVersion
codes = [f"BENCH{{n:04d}}" for n in range({count})]
lost = []
for code in codes:
    reports = list(Report.objects.filter(unit__code=code, status="submitted"))
    versions = ReportVersion.objects.filter(report__unit__code=code).count()
    activities = Activity.objects.live().filter(unit__code=code).count()
    if len(reports) != 1 or versions != 1 or activities < 2:
        lost.append([code, len(reports), versions, activities])
print(json.dumps({{"lost": lost}}))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres_database(url: str) -> str:
    """A new empty database on the server of `url` (scripts/with-postgres.sh gives a
    throwaway server with only the postgres database); returns its URL."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"campaigndesk_load_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def table_bytes() -> bytes:
    """A filled-in attachment-1 table with two activities, as a unit would upload it."""
    sys.path.insert(0, str(ROOT))
    from datetime import date

    from campaigndesk.progress import excel_out
    from campaigndesk.progress.table import ActivityRow

    rows = [ActivityRow(name=f"上传的活动{i}", participants=30, start=date(2022, 3, 20 + i),
                        end=date(2022, 3, 20 + i), location="社区", content="宣传",
                        service_areas=["儿童"], beneficiaries=20) for i in range(2)]
    out = io.BytesIO()
    excel_out.write_unit_report(out, unit_name="压测社工站", reporter_name="张三",
                                reporter_phone="13800001234", filled_date="2022-03-24",
                                rows=rows)
    return out.getvalue()


class Browser:
    """One simulated reporter: cookies, CSRF, timed requests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.timings: list[tuple[str, float, int]] = []

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, step: str, path: str, data: bytes | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str]:
        headers = {"X-CSRFToken": self.csrf(), "Referer": self.base + path}
        if data is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, headers=headers)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode("utf-8", "replace")
        self.timings.append((step, time.perf_counter() - start, status))
        return status, body

    def post(self, step: str, path: str, fields: dict) -> tuple[int, str]:
        return self.request(step, path, urllib.parse.urlencode(fields).encode())

    def upload(self, step: str, path: str, name: str, data: bytes) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
                f"\r\n\r\n{self.csrf()}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f"name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/vnd."
                "openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        return self.request(step, path, body, f"multipart/form-data; boundary={boundary}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def log_in(browser: Browser, username: str) -> None:
    browser.request("login_page", "/login/")
    status, _ = browser.post("login", "/login/", {"username": username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": browser.csrf()})
    if status != 302:
        raise RuntimeError(f"{username}: log-in answered {status}")


def submit_round(browser: Browser, code: str, table: bytes) -> list[str]:
    errors = []
    page = f"/units/{code}/progress/"
    status, body = browser.request("grid", page)
    if status != 200:
        return [f"{code} grid {status}"]
    revision = re.search(r'name="revision" value="(\d+)"', body)
    fields = {"row_count": "2", "action": "save", "csrfmiddlewaretoken": browser.csrf(),
              "revision": revision.group(1) if revision else ""}
    for i in range(2):
        fields |= {f"r-{i}-name": f"网格活动{i}", f"r-{i}-dates": f"2022-03-{18 + i}",
                   f"r-{i}-participants": "12", f"r-{i}-beneficiaries": "8"}
    status, _ = browser.post("save", page, fields)
    if status != 302:
        errors.append(f"{code} save {status}")
    status, body = browser.upload("upload", f"/units/{code}/progress/import/", "进展.xlsx",
                                  table)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)
    if status != 200 or not token:
        return errors + [f"{code} upload {status}"]
    status, _ = browser.post("confirm", f"/units/{code}/progress/import/confirm/",
                             {"token": token.group(1), "csrfmiddlewaretoken": browser.csrf()})
    if status != 302:
        errors.append(f"{code} confirm {status}")
    status, body = browser.request("grid", page)
    revision = re.search(r'name="revision" value="(\d+)"', body)
    rows = re.findall(r'name="r-(\d+)-id" value="(\d*)"', body)
    fields = {"row_count": str(len(rows)), "action": "submit",
              "csrfmiddlewaretoken": browser.csrf(), "reporter_name": "张三",
              "reporter_phone": "13800001234", "revision": revision.group(1) if revision else ""}
    for i, pk in rows:
        fields[f"r-{i}-id"] = pk
        for key in ("name", "dates", "participants", "beneficiaries", "organizations",
                    "location", "content", "service_areas", "funds", "materials", "remarks"):
            value = re.search(rf'name="r-{i}-{key}"(?: value="([^"]*)"|[^>]*>([^<]*)</textarea>)',
                              body)
            if value:
                fields[f"r-{i}-{key}"] = _unescape(value.group(1) or value.group(2) or "")
    status, _ = browser.post("submit", page, fields)
    if status != 302:
        errors.append(f"{code} submit {status}")
    return errors


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2)))
    parser.add_argument("--window", type=float, default=600.0,
                        help="seconds over which reporters arrive; 0: all at once")
    parser.add_argument("--seed", type=int, default=2022)
    options = parser.parse_args()
    count = min(options.reporters, 1000)
    data_dir = Path(tempfile.mkdtemp(prefix="campaigndesk-load-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR",
                                                          "DATABASE_URL"}}
    env |= {"SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "HTTPS": "0",
            "CAMPAIGNDESK_DEMO": "1", "CAMPAIGNDESK_DATA_DIR": str(data_dir),
            "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "campaigndesk.settings",
            "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = fresh_postgres_database(env["DATABASE_URL"])
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    shape = (f"arriving over {options.window:.0f} s" if options.window > 0
             else f"{options.concurrency} at once")
    print(f"== load test: {count} reporters {shape}, {database}, "
          f"gunicorn {options.workers} workers × 4 threads ==")
    subprocess.run([str(BIN / "python"), "-c",
                    SETUP.format(count=count, password=PASSWORD)], env=env, check=True,
                   cwd=ROOT, timeout=600)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "campaigndesk.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(options.workers), "-k", "gthread", "--threads", "4", "--timeout", "120"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        table = table_bytes()
        browsers = {f"BENCH{n:04d}": Browser(base) for n in range(count)}
        with ThreadPoolExecutor(options.concurrency) as pool:
            list(pool.map(lambda item: log_in(item[1], f"bench{item[0][5:]}"),
                          browsers.items()))
        for browser in browsers.values():
            browser.timings.clear()
        rnd = random.Random(options.seed)
        offsets = {code: rnd.uniform(0, options.window) if options.window > 0 else 0.0
                   for code in browsers}
        start = time.perf_counter()

        def arrive(item):
            code, browser = item
            # Bounded: each reporter waits at most the window, then makes one round.
            time.sleep(max(0.0, start + offsets[code] - time.perf_counter()))
            return submit_round(browser, code, table)

        threads = count if options.window > 0 else options.concurrency
        with ThreadPoolExecutor(min(threads, 1000)) as pool:
            results = list(pool.map(arrive, browsers.items()))
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    errors = [e for r in results for e in r]
    timings = [t for b in browsers.values() for t in b.timings]
    http_errors = [t for t in timings if t[2] >= 400]
    print(f"requests: {len(timings)} in {elapsed:.1f} s = {len(timings) / elapsed:.1f} req/s; "
          f"rounds submitted: {count - len({e.split()[0] for e in errors})}/{count} "
          f"({count / elapsed:.1f}/s)")
    for step in ("grid", "save", "upload", "confirm", "submit"):
        values = [t[1] * 1000 for t in timings if t[0] == step]
        if values:
            print(f"  {step:8} n={len(values):4}  p50 {statistics.median(values):7.0f} ms  "
                  f"p95 {percentile(values, 0.95):7.0f} ms  max {max(values):7.0f} ms")
    every = [t[1] * 1000 for t in timings]
    p95 = percentile(every, 0.95) if every else 0.0
    print(f"  all      n={len(every):4}  p95 {p95:7.0f} ms   (target < 500 ms on 2 cores)")
    print(f"errors: {len(errors)} flow, {len(http_errors)} HTTP ≥ 400")
    for line in errors[:10]:
        print("  ", line)
    check = subprocess.run([str(BIN / "python"), "-c", CHECK.format(count=count)], env=env,
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    lost = json.loads(check.stdout.strip().splitlines()[-1])["lost"] if check.returncode == 0 \
        else [["check failed", check.stderr[-500:]]]
    print(f"lost submissions (checked in the database): {len(lost)}")
    for item in lost[:10]:
        print("  ", item)
    return 1 if errors or http_errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
