"""Real processes for the job tests: Debian's redis-server on a free port (like
scripts/with-postgres.sh for PostgreSQL), and `campaigndesk run_worker` on the test database."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip("Redis leg SKIPPED: redis-server is not installed (Debian's redis-server; "
                    "scripts/install-test-deps.sh installs it when apt-get can)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("redis-server did not answer within 10 s")


def database_url() -> str:
    """The test database as the worker process reaches it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    user = quote(db["USER"] or "", safe="")
    password = (":" + quote(db["PASSWORD"], safe="")) if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """`campaigndesk run_worker` in its own process group, so that a test can kill it and
    every process it forked at once, as a crash or `kill -9` would."""

    def __init__(self, broker_url: str, log: Path, extra_env: dict[str, str] | None = None):
        env = {**os.environ, **(extra_env or {}), "DJANGO_SETTINGS_MODULE": "tests.settings",
               "CAMPAIGNDESK_TEST_DATA_DIR": str(settings.DATA_DIR),
               "DATABASE_URL": database_url(), "JOBS_BROKER": broker_url,
               "JOBS_WORKERS": "1", "JOBS_HEARTBEAT_SECONDS": "1", "JOBS_STALE_SECONDS": "3"}
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_worker"], cwd=ROOT, env=env,
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            # Like systemd (KillMode=mixed): SIGTERM to the main process, which stops its own.
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode
