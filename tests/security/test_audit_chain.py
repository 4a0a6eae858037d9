"""Issue 12 point 14: the audit log as a hash chain.

A backdated forged INSERT was accepted, and whoever owns the database file could drop the
triggers and rewrite entries unseen. Each entry now stores the hash of the one before it
and of its own content; `campaigndesk verify_audit` and the auditor's page name the first
entry where the chain breaks.
"""

import io
import json
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit import chain
from campaigndesk.audit.models import AuditEntry
from campaigndesk.audit.services import record
from tests.test_settings import clean_environment


def verify() -> chain.ChainState:
    return chain.verify(AuditEntry.objects)


def without_triggers(sql: str, params: list) -> None:
    """What the owner of the database can do: set the triggers aside and write."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'audit_auditentry'")
            triggers = [row[0] for row in cursor.fetchall()]
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
            cursor.execute(sql, params)
            for trigger in triggers:
                cursor.execute(trigger)
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def forged_insert(at, prev_hash: str, hash_: str) -> int:
    """An INSERT the triggers allow, as someone with the database's password would type."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_username, address, action, object_type, "
            "object_id, object_repr, changes, message, prev_hash, hash) "
            "VALUES (%s, 'region-admin', '10.0.0.1', 'progress.submit', '', '', '', '{}', "
            "'按时报送', %s, %s)",
            [connection.ops.adapt_datetimefield_value(at), prev_hash, hash_])
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()


@pytest.fixture
def log(demo, personas):
    """The demo's entries and a dozen more, as a working day leaves them."""
    for n in range(12):
        record(personas["region_admin"], "unit.update", changes={"name": ["甲", f"乙{n}"]},
               message=f"第 {n} 次修改")
    return demo


def verify_command() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_every_entry_is_chained_to_the_one_before(log):
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) > 10
    assert entries[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    state = verify()
    assert state.intact and state.count == len(entries)
    assert "审计日志完整" in verify_command()


@pytest.mark.django_db
def test_a_backdated_forged_insert_is_named(log):
    forged = forged_insert(timezone.now() - timedelta(days=30), "f" * 64, "e" * 64)
    state = verify()
    assert state.broken_id == forged and "衔接不上" in state.reason
    with pytest.raises(CommandError, match=f"第 {forged} 条"):
        verify_command()


@pytest.mark.django_db
def test_a_forgery_with_a_correct_hash_is_caught_by_its_date(log):
    """Someone who knows the algorithm chains the forged entry properly; its backdated
    time still gives it away."""
    last = AuditEntry.objects.order_by("-id").first()
    at = timezone.now() - timedelta(days=30)
    values = {"at": at, "actor_id": None, "actor_username": "region-admin",
              "address": "10.0.0.1", "action": "progress.submit", "object_type": "",
              "object_id": "", "object_repr": "", "changes": {}, "message": "按时报送"}
    forged = forged_insert(at, last.hash, chain.digest(values, last.hash))
    state = verify()
    assert state.broken_id == forged and "早于前一条" in state.reason


@pytest.mark.django_db
def test_an_entry_edited_behind_the_triggers_is_named(log):
    target = AuditEntry.objects.order_by("id")[5]
    without_triggers("UPDATE audit_auditentry SET message = 'x' WHERE id = %s", [target.pk])
    state = verify()
    assert state.broken_id == target.pk and "被改动过" in state.reason
    assert state.count == 5  # the five before it are intact


@pytest.mark.django_db
def test_an_entry_deleted_behind_the_triggers_is_found_at_the_next(log):
    target, following = AuditEntry.objects.order_by("id")[5:7]
    without_triggers("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    state = verify()
    assert state.broken_id == following.pk and "被删除" in state.reason


@pytest.mark.django_db
def test_the_auditors_page_shows_the_chain_state(log, personas, client):
    client.force_login(personas["auditor"])
    page = client.get(reverse("audit_log")).content.decode()
    assert f'hx-get="{reverse("audit_chain")}"' in page
    assert "校验链完整" in client.get(reverse("audit_chain")).content.decode()
    target = AuditEntry.objects.order_by("id")[3]
    without_triggers("UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s", [target.pk])
    shown = client.get(reverse("audit_chain")).content.decode()
    assert f"校验链第 {target.pk} 条" in shown and "起被改动" in shown


@pytest.mark.django_db
def test_a_purge_keeps_the_chain_verifiable(settings):
    now = timezone.now()
    for days in (400, 300, 200, 10, 1):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            record(None, "test.entry", message=f"{days} 天前")
    with time_machine.travel(now, tick=False):
        call_command("purge_audit", stdout=io.StringIO())
    assert AuditEntry.objects.count() == 3  # 10 days, 1 day, the purge's own entry
    purge = AuditEntry.objects.get(action="audit.purge")
    first = AuditEntry.objects.order_by("id").first()
    assert purge.changes["chain_anchors"] == [{"id": first.pk, "prev_hash": first.prev_hash}]
    assert verify().intact
    # A later deletion at the new beginning is not covered by the purge's anchor.
    without_triggers("DELETE FROM audit_auditentry WHERE id = %s", [first.pk])
    assert verify().broken_id is not None


@pytest.mark.django_db
def test_floats_and_tuples_in_changes_hash_as_they_read_back(log):
    record(None, "test.entry", changes={"ratio": 1e20, "pair": (1, 2), "small": 0.1})
    entry = AuditEntry.objects.latest("id")
    assert entry.changes == {"ratio": "1e+20", "pair": [1, 2], "small": "0.1"}
    assert verify().intact


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_entries_in_order():
    from django.db.migrations.executor import MigrationExecutor

    before = [("audit", "0003_append_only_triggers")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("audit", "AuditEntry")
    for n in range(5):
        old.objects.create(action="test.old", message=f"迁移前的第 {n} 条")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    state = verify()
    assert state.intact and state.count == 5
    # The triggers are back after the table was rebuilt.
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:  # noqa: B017
        cursor.execute("UPDATE audit_auditentry SET message = 'x'")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_never_fork_the_chain(db):
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once: PostgreSQL (SQLite file: the test below)")
    errors, start = [], threading.Barrier(8)

    def writer(n):
        start.wait()
        try:
            for i in range(25):
                with transaction.atomic():
                    record(None, "test.entry", message=f"{n}-{i}")
                    # Hold the transaction open a moment: an unlocked reader would take
                    # the same predecessor as this one.
                    connection.cursor().execute("SELECT pg_sleep(0.002)")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    state = verify()
    assert state.intact and state.count == 200
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == 200


CHILD = textwrap.dedent('''
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    call_command("migrate", verbosity=0)
    from campaigndesk.audit import chain
    from campaigndesk.audit.models import AuditEntry
    from campaigndesk.audit.services import record
    errors, start = [], threading.Barrier(8)

    def writer(n):
        start.wait()
        try:
            for i in range(25):
                record(None, "test.entry", message=f"{n}-{i}")  # outside any transaction
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    state = chain.verify(AuditEntry.objects)
    print(json.dumps({"errors": errors, "intact": state.intact, "count": state.count}))
''')


def test_concurrent_writers_on_a_sqlite_file_never_fork_the_chain(tmp_path):
    environment = clean_environment() | {"CAMPAIGNDESK_DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", CHILD], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"errors": [], "intact": True, "count": 200}
