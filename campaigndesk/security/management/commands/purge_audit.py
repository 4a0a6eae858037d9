"""Remove audit entries older than the retention period (at least 180 days).

The database refuses DELETE on the audit table (triggers, audit migration 0003). The purge
lifts that refusal only inside its own transaction, deletes, puts the trigger back and
writes an entry about itself, so that at no committed moment is the table unguarded.

Only the oldest entries go, a prefix in insertion order: everything before the first
entry (by id) that is younger than the cutoff. The purge's entry names that first kept
entry with the link it stores (the one "chain anchor"), the last removed id and the count,
so that the hash chain (campaigndesk/audit/chain.py) is known to start there rather than to
have been cut; the chain accepts an anchor for its first entry only.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigndesk.audit import chain
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
        with transaction.atomic():
            first_kept = first_kept_entry(cutoff)
            old = AuditEntry.objects.all()
            if first_kept is not None:
                old = old.filter(id__lt=first_kept["id"])
            count = old.count()
            if dry_run or count == 0:
                self.stdout.write(f"{'将' if dry_run else '无需'}删除 {count} 条 "
                                  f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的审计记录")
                return
            through = old.order_by("-id").values_list("id", flat=True).first()
            deleted = purge_through(through)
            record(None, chain.PURGE_ACTION, changes={
                "deleted": deleted, "days": days, "removed_through": through,
                "before": timezone.localtime(cutoff).isoformat(),
                "chain_anchors": [first_kept] if first_kept else []},
                username=chain.PURGE_ACTOR, message=f"清理 {days} 天前的审计记录 {deleted} 条")
        self.stdout.write(f"已删除 {deleted} 条 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} "
                          "之前的审计记录")


def first_kept_entry(cutoff) -> dict | None:
    """The first entry (by id) not older than `cutoff`, with its link: the chain's new
    beginning. Entries after it stay even if a clock made one look older."""
    return (AuditEntry.objects.filter(at__gte=cutoff).order_by("id")
            .values("id", "prev_hash").first())


def purge_through(last_id: int) -> int:
    """Delete the entries up to id `last_id` (the chain's beginning); inside a transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("purge_through must run inside transaction.atomic()")
    value = int(last_id)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = 'audit_entry_no_delete'")
            row = cursor.fetchone()
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [value])  # noqa: S608
            deleted = cursor.rowcount
            if row:
                cursor.execute(row[0])
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_no_change")
            cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [value])  # noqa: S608
            deleted = cursor.rowcount
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_no_change")
        else:
            raise CommandError(
                gettext("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})
    return deleted
