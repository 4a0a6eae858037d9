"""Named personas on the real demo data: the 2022 campaign, its units and accounts."""

import pytest
from django.db import connection, transaction

from campaigndesk.demo import load_demo
from campaigndesk.units.models import Role, Unit, User


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    load_demo(samples=False)
    from campaigndesk.campaigns.models import Campaign

    return Campaign.objects.get(year=2022)


@pytest.fixture
def units(demo):
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def personas(demo, units):
    """region_admin, reviewer, auditor, reporter (呼和浩特市), other_reporter (包头市),
    hulunbuir (呼伦贝尔市), manzhouli (满洲里市), superuser, no_role, security_admin."""
    people = {
        "region_admin": User.objects.get(username="region-admin"),
        "reviewer": User.objects.get(username="reviewer"),
        "auditor": User.objects.get(username="auditor"),
        "reporter": User.objects.get(username="150100"),
        "other_reporter": User.objects.get(username="150200"),
        "hulunbuir": User.objects.get(username="150700"),
        "manzhouli": User.objects.get(username="150781"),
        "superuser": User.objects.create_superuser("root", "root@example.org", "Root#2022x"),
        "no_role": User.objects.create_user("nobody", password="Nobody#2022x"),
        "security_admin": User.objects.get(username="security-admin"),
    }
    assert people["reporter"].role == Role.REPORTER
    return people


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _flush_past_triggers(original):
    """execute_sql_flush that lets the flush empty tables guarded by triggers.

    The audit log is append-only in the database itself (triggers refuse UPDATE, DELETE and
    TRUNCATE), so the flush that ends every transactional test (live_server implies one)
    fails. Inside the flush's own transaction the triggers are set aside and put back, so
    the append-only guarantee holds for every test again right after.
    """

    def execute_sql_flush(self, sql_list):
        db = self.connection
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            if db.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f"DROP TRIGGER {db.ops.quote_name(name)}")
                original(self, sql_list)
                for _name, sql in triggers:
                    cursor.execute(sql)
            elif db.vendor == "postgresql":
                cursor.execute(
                    "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
                )
                tables = [row[0] for row in cursor.fetchall()]
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                original(self, sql_list)
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                original(self, sql_list)

    return execute_sql_flush


@pytest.fixture(scope="session", autouse=True)
def _flush_despite_append_only_audit_log():
    operations = type(connection.ops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            operations, "execute_sql_flush", _flush_past_triggers(operations.execute_sql_flush)
        )
        yield
