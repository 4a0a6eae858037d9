"""Existing databases: every report's last submitted version becomes its reported rows.

The same as progress.reported.freeze, written against the historical models (a migration
must not import today's code).
"""

from datetime import date

from django.db import migrations

TAG_KINDS = ("activity_type", "focus_topic", "five_social")


def freeze_last_versions(apps, schema_editor):
    Report = apps.get_model("progress", "Report")
    ReportVersion = apps.get_model("progress", "ReportVersion")
    ReportedActivity = apps.get_model("progress", "ReportedActivity")
    VocabularyItem = apps.get_model("campaigns", "VocabularyItem")
    through = ReportedActivity.tags.through
    for report in Report.objects.select_related("deadline").iterator():
        version = ReportVersion.objects.filter(report=report).order_by("-number").first()
        if version is None:
            continue
        campaign_id = report.deadline.campaign_id
        index = {(item.kind, item.label): item.pk
                 for item in VocabularyItem.objects.filter(campaign_id=campaign_id)}
        for position, item in enumerate(version.snapshot.get("activities", []), start=1):
            row = ReportedActivity.objects.create(
                version=version, report=report, deadline=report.deadline,
                campaign_id=campaign_id, unit_id=report.unit_id, source_id=item.get("id"),
                position=position, name=item["name"],
                organizations=list(item.get("organizations") or []),
                participants=item.get("participants") or 0,
                start_date=date.fromisoformat(item["start"]) if item.get("start") else None,
                end_date=date.fromisoformat(item["end"]) if item.get("end") else None,
                location=item.get("location", ""), content=item.get("content", ""),
                service_other=item.get("service_other", ""),
                beneficiaries=item.get("beneficiaries") or 0,
                funds_fen=item.get("funds_fen") or 0, materials_fen=item.get("materials_fen") or 0,
                remarks=item.get("remarks", ""), is_current=True)
            keys = [("service_area", label) for label in item.get("service_areas", [])]
            keys += [(kind, label) for kind in TAG_KINDS
                     for label in (item.get("tags") or {}).get(kind, [])]
            through.objects.bulk_create([
                through(reportedactivity_id=row.pk, vocabularyitem_id=pk)
                for pk in sorted({index[key] for key in keys if key in index})])


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_reported_activity"),
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(freeze_last_versions, migrations.RunPython.noop),
    ]
