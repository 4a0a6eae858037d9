"""The dashboard's covering index moves to the rows it now sums: what was reported.

The dashboard counts the current submitted version of each report (progress.reported), in
progress_reportedactivity; the index on the working rows (0002) no longer serves a query.
Same reasoning as 0002: with every summed column in the index, SQLite reads the sums inside
it and never touches the table. Plain SQL, so progress's model state is unchanged.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS oversight_reported_totals ON progress_reportedactivity "
    "(campaign_id, is_current, unit_id, start_date, participants, beneficiaries, funds_fen, "
    "materials_fen)"
)
DROP = "DROP INDEX IF EXISTS oversight_reported_totals"
OLD_CREATE = (
    "CREATE INDEX IF NOT EXISTS oversight_activity_totals ON progress_activity "
    "(campaign_id, is_deleted, unit_id, start_date, participants, beneficiaries, funds_fen, "
    "materials_fen)"
)
OLD_DROP = "DROP INDEX IF EXISTS oversight_activity_totals"


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0004_manual_reminder"),
        ("progress", "0002_reported_activity"),
    ]

    operations = [
        migrations.RunSQL(OLD_DROP, OLD_CREATE),
        migrations.RunSQL(CREATE, DROP),
    ]
