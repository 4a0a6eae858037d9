"""Point 13: SQLite in WAL mode with IMMEDIATE transactions and a busy timeout; eight
threads writing at once never see "database is locked".

The test database of the suite is in memory (or PostgreSQL), so this runs a child process
on a real SQLite file with the production settings module."""

import json
import subprocess
import sys
import textwrap

from tests.test_settings import clean_environment

CHILD = textwrap.dedent('''
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    call_command("migrate", verbosity=0)
    from campaigndesk.security.models import LoginAttempt
    mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    errors, done = [], []
    start = threading.Barrier(8)

    def writer(n):
        start.wait()
        try:
            for i in range(40):
                with transaction.atomic():
                    # Read then write inside one transaction: the pattern that fails with
                    # "database is locked" under DEFERRED transactions.
                    count = LoginAttempt.objects.filter(username=f"t{n}").count()
                    LoginAttempt.objects.create(username=f"t{n}", address=str(count))
            done.append(n)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(json.dumps({"mode": mode, "errors": errors, "done": len(done),
                      "rows": LoginAttempt.objects.count()}))
''')


def test_eight_threads_write_at_once_without_database_is_locked(tmp_path):
    environment = clean_environment() | {"CAMPAIGNDESK_DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", CHILD], env=environment, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["mode"] == "wal"
    assert outcome["errors"] == []
    assert outcome["done"] == 8 and outcome["rows"] == 8 * 40
