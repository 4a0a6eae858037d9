"""A covering index for the dashboard's totals (progress_activity is progress's table).

The dashboard sums five columns of a campaign's live activities per unit. With only the
(campaign, unit) index SQLite looks up every row in the table (slower than a full scan, as
measured in bench/dashboard_bench.py); with every column the query reads inside the index,
the sum never touches the table. Created with plain SQL so that progress's model state is
unchanged (progress/models.py declares no such index and makemigrations stays quiet).
The same statement works on SQLite and PostgreSQL.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS oversight_activity_totals ON progress_activity "
    "(campaign_id, is_deleted, unit_id, start_date, participants, beneficiaries, funds_fen, "
    "materials_fen)"
)
DROP = "DROP INDEX IF EXISTS oversight_activity_totals"


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("progress", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
