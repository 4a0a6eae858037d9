"""Read routes (scope `read`): campaigns, deadlines, units, statuses, submitted activities
with totals, summaries' metadata, a unit's rounds. What a principal sees is what its
account sees on the web: units.permissions decides (visible_campaigns, visible_units,
unit_or_404)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Min
from ninja import Query

from campaigndesk.campaigns.status import unit_statuses
from campaigndesk.oversight.models import FinalSummary
from campaigndesk.progress import reported, services
from campaigndesk.progress.models import TAG_KINDS, Report, ReportStatus
from campaigndesk.progress.table import Totals
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, visible_units

from .access import campaign_of, principal, unit_campaign, unit_of
from .api import api
from .models import Scope
from .schemas import (
    ActivityPage,
    CampaignDetail,
    CampaignOut,
    DeadlineOut,
    Error,
    Id,
    RoundOut,
    SummaryOut,
    TotalsOut,
    UnitOut,
    UnitStatusOut,
)

READ = Scope.READ
REFUSALS = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


def _campaign(campaign) -> dict:
    return {"id": campaign.pk, "year": campaign.year, "title": campaign.title,
            "document_number": campaign.document_number, "slogan": campaign.slogan,
            "start_date": campaign.start_date, "end_date": campaign.end_date,
            "is_closed": campaign.is_closed,
            "participants": [u.code for u in campaign.participants.order_by("code")]}


def _deadline(deadline) -> dict:
    return {"id": deadline.pk, "kind": deadline.kind, "title": deadline.title,
            "due_at": deadline.due_at}


@api.get("/campaigns", response={200: list[CampaignOut], **REFUSALS}, tags=["读取"],
         summary="可查看的宣传活动")
def campaigns(request):
    from campaigndesk.units.permissions import visible_campaigns

    found = visible_campaigns(principal(request, READ)).order_by("-year", "-pk")
    return [_campaign(c) for c in found.prefetch_related("participants")]


@api.get("/campaigns/{campaign_id}", response={200: CampaignDetail, **REFUSALS},
         tags=["读取"], summary="宣传活动及其截止时间")
def campaign_detail(request, campaign_id: Id):
    campaign = campaign_of(request, READ, campaign_id)
    return {**_campaign(campaign),
                 "deadlines": [_deadline(d) for d in campaign.deadlines.order_by("due_at")]}


@api.get("/campaigns/{campaign_id}/deadlines", response={200: list[DeadlineOut], **REFUSALS},
         tags=["读取"], summary="截止时间（每个工作进展截止时间为一轮）")
def deadlines(request, campaign_id: Id):
    campaign = campaign_of(request, READ, campaign_id)
    return [_deadline(d) for d in campaign.deadlines.order_by("due_at")]


@api.get("/units", response={200: list[UnitOut], **REFUSALS}, tags=["读取"],
         summary="单位树（reports_to 为报送上级）")
def units(request):
    found = visible_units(principal(request, READ)).select_related("reports_to", "geo_parent")
    return [{"code": u.code, "name": u.name, "short_names": list(u.short_names),
                  "level": u.level, "is_active": u.is_active,
                  "reports_to": u.reports_to.code if u.reports_to_id else None,
                  "geo_parent": u.geo_parent.code if u.geo_parent_id else None}
                 for u in found.order_by("report_path", "code")]


def _seen_participants(request, campaign):
    """The campaign's units the principal may see, as the overview (region) or the unit's
    own pages (a reporter: its unit and those under it) show them."""
    return (campaign.participants.filter(pk__in=visible_units(request.principal))
            .order_by("code"))


@api.get("/campaigns/{campaign_id}/statuses", response={200: list[UnitStatusOut], **REFUSALS},
         tags=["读取"], summary="各单位在每个截止时间的报送状态")
def statuses(request, campaign_id: Id):
    campaign = campaign_of(request, READ, campaign_id)
    rows = []
    for unit in _seen_participants(request, campaign):
        rows.append({"unit": unit.code, "unit_name": unit.name, "statuses": [
            {"deadline_id": s.deadline.pk, "state": str(s.state), "label": s.label,
             "detail": s.detail,
             "submitted_at": s.submission.submitted_at if s.submission else None}
            for s in unit_statuses(campaign, unit)]})
    return rows


def _activity(row, *, reported_row: bool) -> dict:
    tags = list(row.tags.all())
    data = {"id": row.pk if not reported_row else row.source_id, "name": row.name,
            "organizations": list(row.organizations), "participants": row.participants,
            "start_date": row.start_date, "end_date": row.end_date, "location": row.location,
            "content": row.content,
            "service_areas": [t.label for t in tags if t.kind == "service_area"],
            "service_other": row.service_other, "beneficiaries": row.beneficiaries,
            "funds_fen": row.funds_fen, "materials_fen": row.materials_fen,
            "remarks": row.remarks,
            "tags": {kind: [t.label for t in tags if t.kind == kind] for kind in TAG_KINDS}}
    if reported_row:
        data |= {"unit": row.unit.code, "unit_name": row.unit.name,
                 "deadline_id": row.deadline_id, "round": row.deadline.title,
                 "version": row.version.number}
    return data


@api.get("/campaigns/{campaign_id}/activities", response={200: ActivityPage, **REFUSALS},
         tags=["读取"], summary="已报送的活动（分页）及合计；草稿不在其中")
def activities(request, campaign_id: Id, unit: str | None = None, subtree: bool = True,
               deadline_id: Id | None = None, date_from: date | None = None,
               date_to: date | None = None, page: int = Query(1, ge=1, le=1_000_000),
               page_size: int = Query(100, ge=1, le=500)):
    """Only activities of submitted versions (progress.reported): a draft never counts.
    `unit`: a unit's code (default: all the token may see); `subtree`: with the units
    reporting to it; `deadline_id`: one round; `date_from`/`date_to`: activities that
    started on those days."""
    campaign = campaign_of(request, READ, campaign_id)
    rows = reported.reported(campaign)
    if unit is not None:
        chosen = unit_of(request, READ, Action.VIEW_UNIT, unit)
        rows = (rows.filter(unit__in=Unit.objects.under(chosen)) if subtree
                else rows.filter(unit=chosen))
    elif not allows(request.principal, Action.VIEW_OVERVIEW):
        rows = rows.filter(unit__in=visible_units(request.principal))
    if deadline_id is not None:
        rows = rows.filter(deadline_id=deadline_id)
    if date_from is not None:
        rows = rows.filter(start_date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(start_date__lte=date_to)
    count = rows.count()
    start = (page - 1) * page_size
    shown = (rows.select_related("unit", "deadline", "version").prefetch_related("tags")
             .order_by("deadline__due_at", "unit__code", "position", "pk")[start:start + page_size])
    return {"count": count, "page": page, "page_size": page_size,
                 "totals": TotalsOut.of(reported.totals(rows)),
                 "results": [_activity(r, reported_row=True) for r in shown]}


@api.get("/campaigns/{campaign_id}/summaries", response={200: list[SummaryOut], **REFUSALS},
         tags=["读取"], summary="各单位活动总结的信息（不含正文和文件）")
def summaries(request, campaign_id: Id):
    campaign = campaign_of(request, READ, campaign_id)
    found = (FinalSummary.objects.filter(deadline__campaign=campaign,
                                         unit__in=_seen_participants(request, campaign))
             .select_related("unit", "deadline")
             .annotate(count=Count("versions"), first_at=Min("versions__submitted_at"),
                       last=Max("versions__number")))
    rows = []
    for summary in found:
        latest = summary.latest_version()
        if latest is None:
            continue
        rows.append({"unit": summary.unit.code, "unit_name": summary.unit.name,
                     "deadline_id": summary.deadline_id, "deadline": summary.deadline.title,
                     "versions": summary.count, "latest_version": latest.number,
                     "submitted_at": latest.submitted_at,
                     "is_late": summary.first_at > summary.deadline.due_at,
                     "file_kind": latest.file_kind, "original_name": latest.original_name,
                     "size_bytes": latest.size_bytes, "text_length": len(latest.text)})
    return rows


def editable_deadlines(campaign, unit) -> set[int]:
    """The rounds the grid offers for editing now (services.editable_rounds), found
    without opening a new round: a read must not write."""
    current = services._round_for_new(campaign, unit, create=False)  # noqa: SLF001
    ids = set(Report.objects.filter(unit=unit, deadline__campaign=campaign,
                                    status=ReportStatus.REOPENED)
              .values_list("deadline_id", flat=True))
    if current is not None:
        ids.add(current.deadline_id)
    return set() if campaign.is_closed else ids


def round_out(report: Report, editable: set[int]) -> dict:
    saved = report.pk is not None
    return {"deadline_id": report.deadline_id, "title": report.deadline.title,
            "due_at": report.deadline.due_at, "status": report.status,
            "status_label": report.state_label, "revision": report.revision,
            "editable": report.deadline_id in editable,
            "versions": report.versions.count() if saved else 0}


def round_detail(report: Report, editable: set[int]) -> dict:
    """The round with its working rows; a round never opened has none."""
    if report.pk is None:
        return {**round_out(report, editable), "activities": [],
                "reported_totals": TotalsOut.of(Totals())}
    rows = report.activities.live().prefetch_related("tags").order_by("position", "pk")
    return {**round_out(report, editable),
            "activities": [_activity(a, reported_row=False) for a in rows],
            "reported_totals": TotalsOut.of(services.reported_round_totals(report))}


def unit_rounds(campaign, unit) -> list[Report]:
    """Every progress round of the unit, an unopened one as an unsaved draft."""
    found = {r.deadline_id: r for r in Report.objects.filter(
        unit=unit, deadline__campaign=campaign).select_related("deadline__campaign")}
    return [found.get(d.pk) or Report(deadline=d, unit=unit, status=ReportStatus.DRAFT)
            for d in services.progress_deadlines(campaign)]


@api.get("/campaigns/{campaign_id}/units/{code}/rounds", response={200: list[RoundOut],
                                                                   **REFUSALS},
         tags=["读取"], summary="单位的各轮工作进展（状态与版本号）")
def rounds(request, campaign_id: Id, code: str):
    campaign, unit = unit_campaign(request, READ, Action.VIEW_UNIT, campaign_id, code)
    editable = editable_deadlines(campaign, unit)
    return [round_out(r, editable) for r in unit_rounds(campaign, unit)]
