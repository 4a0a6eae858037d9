"""The hash chain (campaigndesk/audit/chain.py): two columns, and the existing entries
hashed in order.

On SQLite adding the columns rebuilds the table, which drops its triggers; they are put
back here, after the existing rows got their hashes (the same triggers refuse that UPDATE,
so they are set aside inside this migration's own transaction, as purge_audit does)."""

import importlib

import django.utils.timezone
from django.db import migrations, models

from campaigndesk.audit import chain

TRIGGERS = importlib.import_module("campaigndesk.audit.migrations.0003_append_only_triggers")
TABLE = "audit_auditentry"


def hash_existing(apps, schema_editor):
    connection = schema_editor.connection
    entry = apps.get_model("audit", "AuditEntry")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in TRIGGERS.SQLITE_REVERSE:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_no_change")
        previous, batch = chain.GENESIS, []
        rows = entry.objects.order_by("id").values_list("id", *chain.FIELDS)
        for pk, *content in rows.iterator(chunk_size=2000):
            digest = chain.digest(dict(zip(chain.FIELDS, content, strict=True)), previous)
            batch.append((previous, digest, pk))
            previous = digest
            if len(batch) == 2000:
                cursor.executemany(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
                                   batch)
                batch = []
        if batch:
            cursor.executemany(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
                               batch)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_no_change")
    # SQLite: the rebuilt table has no triggers left; PostgreSQL kept them (recreating is a
    # no-op there: CREATE OR REPLACE, and the triggers are dropped first).
    if connection.vendor == "sqlite":
        TRIGGERS.forwards(apps, schema_editor)


def reinstall_triggers(apps, schema_editor):
    # Reversing: removing the columns rebuilt the SQLite table without its triggers.
    if schema_editor.connection.vendor == "sqlite":
        TRIGGERS.backwards(apps, schema_editor)
        TRIGGERS.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_triggers),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       editable=False, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64,
                                   verbose_name="前一条的校验值"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64,
                                   verbose_name="校验值"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
