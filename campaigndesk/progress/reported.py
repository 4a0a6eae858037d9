"""What counts as reported: the one definition behind every figure the product shows.

An activity counts when it is in the last submitted version of its unit's report for a
round, as frozen at submission. `freeze` writes those rows (ReportedActivity) when a
version is made; `reported` is the queryset that every total, chart, export, public figure
and generated document reads. So:

- a draft (saved in the grid or imported, not submitted) never counts;
- a reopened round keeps counting its last submitted version until it is submitted again;
- a late submission counts from the moment it is submitted (it is marked late elsewhere).

Drafts can still be shown — apart, labelled 草稿（未报送）, never added to a total — through
`drafts`; rounds sent back for correction through `reopened`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from campaigndesk.campaigns.cascade import cascade_of
from campaigndesk.campaigns.models import Campaign, VocabularyItem, VocabularyKind
from campaigndesk.units.models import Unit

from . import totals as maintained
from .models import TAG_KINDS, Activity, Report, ReportedActivity, ReportStatus, ReportVersion
from .table import Totals

DRAFT_LABEL = "草稿（未报送）"

# The five sums of attachment 1, used by every figure of the product: integer columns, so
# SQLite and PostgreSQL agree to the fen.
TOTAL_SUMS = {"n": Count("pk"), "p": Sum("participants"), "b": Sum("beneficiaries"),
              "f": Sum("funds_fen"), "m": Sum("materials_fen")}


def totals_from(row: dict, prefix: str = "") -> Totals:
    """Totals from an aggregate()/annotate() row made with TOTAL_SUMS."""
    return Totals(row[prefix + "n"] or 0, row[prefix + "p"] or 0, row[prefix + "b"] or 0,
                  int(row[prefix + "f"] or 0), int(row[prefix + "m"] or 0))


def totals(activities: QuerySet) -> Totals:
    return totals_from(activities.aggregate(**TOTAL_SUMS))


def reported(campaign: Campaign) -> QuerySet[ReportedActivity]:
    """The activities the campaign's figures count: the current submitted version of every
    report of the campaign sent to the region. What a county sent to its bureau
    (`within_bureau`) is not among them: it reaches the region inside the bureau's report,
    with its origin, and counts there once."""
    return ReportedActivity.objects.filter(campaign=campaign, is_current=True,
                                           within_bureau=False)


def bureau_reported(campaign: Campaign, bureau) -> QuerySet[ReportedActivity]:
    """What a bureau's own views count for its subtree (issue 17): the rows its counties
    submitted to it, and its own rows in its report to the region. Never drafts."""
    return ReportedActivity.objects.filter(
        Q(within_bureau=True, unit__report_path__startswith=bureau.report_path)
        | Q(within_bureau=False, unit=bureau, origin__isnull=True),
        campaign=campaign, is_current=True)


def campaign_figures(campaign: Campaign) -> tuple[int, Totals]:
    """(reporting units, their total): the campaign's headline, over the participants only,
    as the consolidated workbook counts."""
    sent = reported(campaign).filter(unit__in=campaign.participants.all())
    return reporting_units(campaign), totals(sent)


def reported_of_report(report: Report) -> QuerySet[ReportedActivity]:
    return ReportedActivity.objects.filter(report=report, is_current=True)


def drafts(campaign: Campaign) -> QuerySet[Activity]:
    """Working rows of the rounds never submitted yet: what is coming. A reopened round is
    not a draft (it still counts as its last version); see `reopened`."""
    return Activity.objects.live().filter(campaign=campaign, report__status=ReportStatus.DRAFT)


def reopened(campaign: Campaign) -> QuerySet[Report]:
    """Rounds sent back for correction: counted as their last submitted version until they
    are submitted again."""
    return Report.objects.filter(deadline__campaign=campaign, status=ReportStatus.REOPENED)


def reporting_units(campaign: Campaign) -> int:
    """Participating units that have submitted a progress report (with activities or
    without): the 报送单位 of every headline."""
    return (ReportVersion.objects.filter(report__deadline__campaign=campaign,
                                         report__unit__in=campaign.participants.all())
            .values("report__unit_id").distinct().count())


def freeze(version: ReportVersion) -> int:
    """Write the version's activities as ReportedActivity rows and make them the report's
    current ones. Built from the version's snapshot, so the figures are exactly what the
    version page and its download show. Runs inside the caller's transaction, which also
    carries the new figures into the maintained totals (progress.totals)."""
    report = version.report
    deadline = report.deadline
    campaign = deadline.campaign
    within = cascade_of(campaign, report.unit) is not None
    ReportedActivity.objects.filter(report=report, is_current=True).update(is_current=False)
    index = {(item.kind, item.label): item.pk
             for item in VocabularyItem.objects.filter(campaign=campaign)}
    rows, tag_ids = [], []
    for position, item in enumerate(version.snapshot["activities"], start=1):
        rows.append(ReportedActivity(
            version=version, report=report, deadline=deadline, campaign=campaign,
            unit_id=report.unit_id, source_id=item.get("id"), position=position,
            name=item["name"], organizations=list(item["organizations"]),
            participants=item["participants"],
            start_date=date.fromisoformat(item["start"]) if item["start"] else None,
            end_date=date.fromisoformat(item["end"]) if item["end"] else None,
            location=item["location"], content=item["content"],
            service_other=item["service_other"], beneficiaries=item["beneficiaries"],
            funds_fen=item["funds_fen"], materials_fen=item["materials_fen"],
            remarks=item["remarks"], is_current=True, within_bureau=within,
            origin_id=(item.get("origin") or {}).get("id")))
        labels = [(VocabularyKind.SERVICE_AREA, label) for label in item["service_areas"]]
        labels += [(kind, label) for kind in TAG_KINDS
                   for label in (item.get("tags") or {}).get(kind, [])]
        tag_ids.append(sorted({index[key] for key in labels if key in index}))
    created = ReportedActivity.objects.bulk_create(rows, batch_size=1000)
    through = ReportedActivity.tags.through
    through.objects.bulk_create(
        [through(reportedactivity_id=row.pk, vocabularyitem_id=item_id)
         for row, ids in zip(created, tag_ids, strict=True) for item_id in ids],
        batch_size=2000)
    kind_of = {pk: kind for (kind, _label), pk in index.items()}
    # The unit's row locked and its path read now: a move of the unit (or of a unit above
    # it) waits for this submission or this submission for it, never half of each
    # (progress.totals.move_subtree).
    path = Unit.objects.select_for_update().values_list("report_path", flat=True).get(
        pk=report.unit_id)
    # A cascade member's rows (within_bureau) count nowhere in the maintained totals: the
    # bureau's report carries them (forwarded_rows, each with its origin) and they count
    # there, as the bureau's, once its report is submitted — in the bureau, its subtree and
    # the region, as the region's per-row sums (reported()) count them. Counting them here
    # too would add every county row twice to the league's and the region's subtree
    # figures. The member's earlier own figures (sent to the region before the cascade
    # opened) still leave: its round now counts nothing of its own.
    counted = [] if within else list(zip(created, tag_ids, strict=True))
    maintained.replace_own(campaign.pk, deadline.pk, report.unit_id, path,
                           maintained.sums_of(
                               (((1, row.participants, row.beneficiaries, row.funds_fen,
                                  row.materials_fen), row.start_date, ids)
                                for row, ids in counted), kind_of))
    return len(created)

