"""The dashboard, its export, 催报 and the reminder log.

Region users (VIEW_OVERVIEW) see every participating unit; a reporter of a participating
unit sees the same page limited to its own unit. Every decision goes through
units.permissions.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.campaigns.models import Campaign
from campaigndesk.params import whole_number
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, require

from . import dashboard, exports, reminders
from .models import ReminderSent, parse_offsets

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
        "days": _series(view.days, key=lambda d: d.strftime("%m-%d") if d else _("未填日期")),
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
        "can_remind": allows(request.user, Action.REMIND_UNITS),
    })


@login_only
@require_GET
def dashboard_xlsx(request, pk: int):
    campaign, own = campaign_scope(request.user, pk)
    filters = read_filters(request, campaign, own)
    return exports.dashboard_response(request.user, campaign, filters)


@require(Action.REMIND_UNITS)
@require_POST
def remind(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    deadline = get_object_or_404(campaign.deadlines,
                                 pk=whole_number(request.POST.get("deadline")) or 0)
    units = None
    if request.POST.get("unit"):
        units = list(campaign.participants.filter(code=request.POST["unit"]))
    base = request.build_absolute_uri("/")
    reminded, skipped = reminders.remind_now(request.user, deadline, units=units, base_url=base)
    if reminded:
        messages.success(request, _("已向 %(count)s 个未报送单位发送催报（站内通知、邮件、短信）"
                                    "：%(title)s") % {"count": reminded, "title": deadline.title})
    if skipped:
        messages.warning(
            request, _("%(count)s 个单位本小时内已催报过，未重复发送") % {"count": skipped})
    if not reminded and not skipped:
        messages.info(
            request, _("%(title)s：所有单位均已报送，无需催报") % {"title": deadline.title})
    query = request.POST.get("query", "")
    target = reverse("campaign_dashboard", kwargs={"pk": campaign.pk})
    return redirect(f"{target}?{query}" if query and "\n" not in query else target)


@require(Action.REMIND_UNITS)
@require_http_methods(["GET", "POST"])
def reminder_log(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    options = reminders.settings_for(campaign)
    error = ""
    if request.method == "POST":
        if not allows(request.user, Action.MANAGE_CAMPAIGNS):
            raise PermissionDenied
        text = request.POST.get("offsets_text", "")
        try:
            offsets = parse_offsets(text)
        except ValueError as exc:
            error = str(exc)
        else:
            reminders.save_settings(request.user, campaign, offsets=offsets,
                                    send_late=request.POST.get("send_late") == "on",
                                    send_sms=request.POST.get("send_sms") == "on")
            messages.success(request, _("提醒设置已保存"))
            return redirect("reminder_log", pk=campaign.pk)
    sent = (ReminderSent.objects.filter(campaign=campaign)
            .select_related("deadline", "unit", "sent_by")[:300])
    return render(request, "oversight/reminders.html", {
        "campaign": campaign, "options": options, "sent": sent, "error": error,
        "can_edit": allows(request.user, Action.MANAGE_CAMPAIGNS),
    })
