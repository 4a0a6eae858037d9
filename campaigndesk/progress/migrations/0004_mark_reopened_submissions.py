"""Reports already sent back before Submission.reopened_at existed: mark their submission,
so the overview says 退回修改中 for them too. The exact time of the return is in the audit
log; the migration's time stands in for it (shown only as "MM-DD HH:MM退回")."""

from django.db import migrations
from django.utils import timezone


def mark(apps, schema_editor):
    Report = apps.get_model("progress", "Report")
    Submission = apps.get_model("campaigns", "Submission")
    now = timezone.now()
    for deadline_id, unit_id in Report.objects.filter(status="reopened").values_list(
            "deadline_id", "unit_id"):
        Submission.objects.filter(deadline_id=deadline_id, unit_id=unit_id,
                                  reopened_at__isnull=True).update(reopened_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0003_freeze_submitted_versions"),
        ("campaigns", "0007_submission_reopened_at"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
