"""The dashboard and its export (催报 and the reminder log: views_remind).

Region users (VIEW_OVERVIEW) see every participating unit; a reporter of a participating
unit sees the same page limited to its own unit. Every decision goes through
units.permissions.
"""

from datetime import date
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigndesk.campaigns.models import Campaign
from campaigndesk.places import counts as place_counts
from campaigndesk.progress.reported import drafts, reopened, totals
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only

from . import dashboard, exports

# A campaign may have thousands of participants: the page shows the busiest units, the
# export has them all.
UNIT_LINES = 200
CHART_UNITS = 30


def busiest(lines, limit: int):
    if len(lines) <= limit:
        return lines
    return sorted(lines, key=lambda pair: -pair[1].activities)[:limit]


def campaign_scope(user, pk: int) -> tuple[Campaign, Unit | None]:
    """(campaign, the unit the user is limited to, or None for the whole campaign)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if allows(user, Action.VIEW_OVERVIEW):
        return campaign, None
    unit = getattr(user, "unit", None)
    if unit is None or not allows(user, Action.VIEW_UNIT, unit):
        raise Http404
    if not campaign.participants.filter(pk=unit.pk).exists():
        raise Http404
    return campaign, unit


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def read_filters(request, campaign: Campaign, own: Unit | None) -> dashboard.Filters:
    unit = own
    code = request.GET.get("unit", "")
    if own is None and code:
        unit = campaign.participants.filter(code=code).first()
        if unit is None:
            raise Http404
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if start and end and start > end:
        start, end = end, start
    return dashboard.Filters(unit=unit, start=start, end=end)


def filter_query(filters: dashboard.Filters, own: Unit | None) -> str:
    params = {}
    if filters.unit is not None and own is None:
        params["unit"] = filters.unit.code
    if filters.start:
        params["from"] = filters.start.isoformat()
    if filters.end:
        params["to"] = filters.end.isoformat()
    return urlencode(params)


def _series(lines, key=lambda label: str(label)) -> dict:
    return {
        "labels": [key(label) for label, _ in lines],
        "activities": [t.activities for _, t in lines],
        "participants": [t.participants for _, t in lines],
        "beneficiaries": [t.beneficiaries for _, t in lines],
        "funds": [t.funds_fen / 100 for _, t in lines],
    }


def _chart_days(days, campaign: Campaign, filters: dashboard.Filters):
    """Every day of the range, quiet ones at 0 (the table lists only days with activities);
    activities without a date last, so that the chart still adds up to what was sent."""
    undated = [(day, t) for day, t in days if day is None]
    return dashboard.every_day(days, filters.start or campaign.start_date,
                               filters.end or campaign.end_date) + undated


@login_only
@require_GET
def campaign_dashboard(request, pk: int):
    campaign, own = campaign_scope(request.user, pk)
    filters = read_filters(request, campaign, own)
    view = exports.dashboard_view(campaign, filters, page=request.GET.get("page") or 1)
    chart_data = {
        "units": _series([(u.name, t) for u, t in busiest(view.units, CHART_UNITS)]),
        "service_area": _series(view.service_areas),
        "activity_type": _series(view.activity_types),
        "five_social": _series(view.five_social),
        "days": _series(_chart_days(view.days, campaign, filters),
                        key=lambda d: d.strftime("%m-%d") if d else _("未填日期")),
    }
    return render(request, "oversight/dashboard.html", {
        "campaign": campaign,
        "own": own,
        "filters": filters,
        "query": filter_query(filters, own),
        "view": view,
        "shown_units": busiest(view.units, UNIT_LINES),
        "chart_data": chart_data,
        "choices": campaign.participants.order_by("code") if own is None else [],
        # A drop-down of thousands of units is no use: type the code instead.
        "many_units": own is None and campaign.participants.count() > UNIT_LINES,
        "can_remind": allows(request.user, Action.REMIND_UNITS) and not campaign.is_closed,
        # Not in any figure above: shown apart, as what is coming.
        "drafts": totals(dashboard.filtered(drafts(campaign), campaign, filters)),
        "reopened": reopened(campaign).filter(
            unit__in=dashboard.scope_units(campaign, filters)).count(),
        **_signage(campaign, filters),
    })


def _signage(campaign, filters) -> dict:
    """Issue 16 point 4: places registered, posters generated, signage confirmed."""
    # Name and path are all a line needs: plain rows, not 40,000 model instances.
    units = dashboard.scope_units(campaign, filters).values_list("pk", "name", "report_path",
                                                                 named=True)
    lines = place_counts.signage_lines(campaign, units)
    # 40,000 participants would be 40,000 lines: the page shows the units with the most
    # places, the export has every unit, the total counts them all.
    shown = lines if len(lines) <= UNIT_LINES else sorted(
        lines, key=lambda pair: -pair[1].places)[:UNIT_LINES]
    return {"signage": shown, "signage_total": place_counts.total(lines),
            "signage_units": len(lines)}


@login_only
@require_GET
def dashboard_xlsx(request, pk: int):
    campaign, own = campaign_scope(request.user, pk)
    filters = read_filters(request, campaign, own)
    return exports.dashboard_response(request.user, campaign, filters)
