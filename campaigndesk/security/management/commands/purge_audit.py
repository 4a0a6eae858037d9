"""Remove audit entries older than the retention period (at least 180 days).

The database refuses DELETE on the audit table (triggers, audit migration 0003). The purge
lifts that refusal only inside its own transaction, deletes, puts the trigger back and
writes an entry about itself, so that at no committed moment is the table unguarded.

That entry names the "chain anchors": each kept entry whose predecessor was removed, with
the link it stores, so that the hash chain (campaigndesk/audit/chain.py) is known to start
there rather than to have been cut.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigndesk.audit.models import AuditEntry
from campaigndesk.audit.services import record

TABLE = AuditEntry._meta.db_table
MINIMUM_DAYS = 180


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext("删除超过保存期限的审计记录（保存期限不少于 180 天）")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=gettext("保存天数，默认 AUDIT_RETENTION_DAYS；不得少于 180"))
        parser.add_argument("--dry-run", action="store_true", help=gettext("只统计，不删除"))

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < MINIMUM_DAYS:
            raise CommandError(gettext("保存期限不得少于 %(minimum)s 天（收到 %(days)s 天）")
                               % {"minimum": MINIMUM_DAYS, "days": days})
        cutoff = timezone.now() - timedelta(days=days)
        # Raw SQL: the model's manager refuses delete() on purpose.
        old = AuditEntry.objects.filter(at__lt=cutoff)
        count = old.count()
        if dry_run or count == 0:
            self.stdout.write(f"{'将' if dry_run else '无需'}删除 {count} 条 "
                              f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的审计记录")
            return
        with transaction.atomic():
            anchors = chain_anchors(cutoff)
            deleted = purge_before(cutoff)
            record(None, "audit.purge", changes={"deleted": deleted, "days": days,
                                                  "before": timezone.localtime(cutoff)
                                                  .isoformat(),
                                                  "chain_anchors": anchors},
                   username="system", message=f"清理 {days} 天前的审计记录 {deleted} 条")
        self.stdout.write(f"已删除 {deleted} 条 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} "
                          "之前的审计记录")


def chain_anchors(cutoff) -> list[dict]:
    """The kept entries right after removed ones (in insertion order), with their links."""
    anchors, removing = [], False
    rows = AuditEntry.objects.order_by("id").values_list("id", "at", "prev_hash")
    for pk, at, prev_hash in rows.iterator(chunk_size=5000):
        if at < cutoff:
            removing = True
        elif removing:
            anchors.append({"id": pk, "prev_hash": prev_hash})
            removing = False
    return anchors


def purge_before(cutoff) -> int:
    """Delete entries older than `cutoff`; must run inside a transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("purge_before must run inside transaction.atomic()")
    # The value as the ORM would store it (SQLite: a UTC text timestamp).
    value = connection.ops.adapt_datetimefield_value(cutoff)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = 'audit_entry_no_delete'")
            row = cursor.fetchone()
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            cursor.execute(f"DELETE FROM {TABLE} WHERE at < %s", [value])  # noqa: S608
            deleted = cursor.rowcount
            if row:
                cursor.execute(row[0])
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_no_change")
            cursor.execute(f"DELETE FROM {TABLE} WHERE at < %s", [value])  # noqa: S608
            deleted = cursor.rowcount
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_no_change")
        else:
            raise CommandError(
                gettext("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})
    return deleted
