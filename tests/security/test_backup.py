"""Point 15: `campaigndesk backup DEST` while others write, then `campaigndesk restore` into
an empty installation: integrity check passes and the row counts are those of the backup.

Runs in child processes on a real SQLite file (the suite's test database is in memory);
on PostgreSQL the same commands use pg_dump/pg_restore."""

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.test_settings import clean_environment

WRITE_AND_BACKUP = textwrap.dedent('''
    import sys, threading, time
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    call_command("migrate", verbosity=0)
    from campaigndesk.security.models import LoginAttempt
    media = settings.MEDIA_ROOT / "photos"
    media.mkdir(parents=True, exist_ok=True)
    (media / "a.jpg").write_bytes(b"jpeg")
    for i in range(200):
        LoginAttempt.objects.create(username=f"before{i}")
    stop = threading.Event()
    written = []

    def writer():
        while not stop.is_set():
            LoginAttempt.objects.create(username="during")
            written.append(1)
        connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    call_command("backup", sys.argv[1])
    time.sleep(0.2)
    stop.set()
    thread.join()
    print(len(written))
''')

RESTORE = textwrap.dedent('''
    import sys, json
    import django
    django.setup()
    from django.core.management import call_command
    call_command("restore", sys.argv[1], no_input=True)
    from campaigndesk.security.models import LoginAttempt
    from campaigndesk.audit.models import AuditEntry
    print(json.dumps({"attempts": LoginAttempt.objects.count(),
                      "audit": AuditEntry.objects.count()}))
''')


def run(code: str, data_dir: Path, *args: str) -> str:
    environment = clean_environment() | {"CAMPAIGNDESK_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", code, *args], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_backup_during_writes_then_restore(tmp_path):
    live, dest, fresh = tmp_path / "live", tmp_path / "backups", tmp_path / "fresh"
    writes = int(run(WRITE_AND_BACKUP, live, str(dest)))
    assert writes > 0  # the backup really ran while another connection wrote
    (folder,) = dest.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    copy = sqlite3.connect(folder / "campaigndesk.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    attempts = copy.execute("SELECT COUNT(*) FROM security_loginattempt").fetchone()[0]
    assert attempts == manifest["rows"]["security_loginattempt"] >= 200
    copy.close()
    assert (folder / "media" / "photos" / "a.jpg").read_bytes() == b"jpeg"

    restored = json.loads(run(RESTORE, fresh, str(folder)))
    assert restored["attempts"] == attempts
    assert restored["audit"] == manifest["rows"]["audit_auditentry"]
    assert (fresh / "media" / "photos" / "a.jpg").read_bytes() == b"jpeg"
    check = sqlite3.connect(fresh / "campaigndesk.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The append-only triggers came back with the data.
    triggers = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"audit_entry_no_update", "audit_entry_no_delete"} <= triggers


def test_pg_dump_of_the_newest_installed_server_is_chosen(monkeypatch):
    # /usr/lib/postgresql/9.6 sorts after 16 as text; by number 16 is the newest.
    from campaigndesk.security import backups

    paths = [f"/usr/lib/postgresql/{v}/bin/pg_dump" for v in ("16", "9.6", "15")]
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    monkeypatch.setattr(backups.glob, "glob", lambda pattern: list(paths))
    assert backups._pg_binary("pg_dump") == "/usr/lib/postgresql/16/bin/pg_dump"
