"""催报 (write the text, see who each channel reaches, send, see what it did) and the
reminder log with its settings. Every decision goes through units.permissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigndesk.campaigns.models import Campaign, Deadline
from campaigndesk.params import whole_number
from campaigndesk.units.permissions import Action, allows, require

from . import manual, reminders
from .models import ManualReminder, ReminderChannel, ReminderSent, parse_offsets

# The page lists the units about to be reminded; a campaign of thousands shows the first.
PLAN_LINES = 200


def _deadline(campaign: Campaign, raw: str | None) -> Deadline | None:
    if not raw:
        return None
    pk = whole_number(raw)  # ASCII digits within 64 bits, else 404 (never a 500)
    if pk is None:
        raise Http404
    return get_object_or_404(campaign.deadlines, pk=pk)


def _back(campaign: Campaign, query: str) -> str:
    target = reverse("campaign_dashboard", kwargs={"pk": campaign.pk})
    # The dashboard's own filter query, sent back as it came; never a header injection.
    return f"{target}?{query}" if query and "\n" not in query and "\r" not in query else target


@require(Action.REMIND_UNITS)
@require_http_methods(["GET", "POST"])
def remind(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("query", "")
    deadline = _deadline(campaign, source.get("deadline"))
    if deadline is None:
        messages.info(request, _("请在数据看板上选择要催报的报送节点"))
        return redirect(_back(campaign, query))
    units = None
    code = source.get("unit", "")
    if code:
        units = list(campaign.participants.filter(code=code))
        if not units:
            raise Http404
    text = source.get("text", manual.last_text(campaign))
    error = ""
    try:
        planned = manual.plan(deadline, text, units=units)
    except ValidationError as exc:
        error, planned = "；".join(exc.messages), []
    # Who would be reminded does not depend on the text: the button keeps its count
    # while the text is being corrected.
    count = len(planned) if not error else len(
        manual.plan(deadline, manual.DEFAULT_TEXT, units=units))
    if request.method == "POST" and not error and "preview" not in request.POST:
        run = manual.remind_now(request.user, deadline, text=text, units=units,
                                base_url=request.build_absolute_uri("/"))
        if run is None:
            messages.info(request, _("%(title)s：所有单位均已报送，无需催报")
                          % {"title": deadline.title})
            return redirect(_back(campaign, query))
        result = manual.report(run)
        if result.reached:
            messages.success(request, manual.summary_text(result))
        if result.skipped:
            messages.warning(request, _("%(count)s 个单位本小时内已催报过，未重复发送")
                             % {"count": result.skipped})
        return redirect("remind_result", pk=campaign.pk, run=run.pk)
    if not error and not planned:
        messages.info(request, _("%(title)s：所有单位均已报送，无需催报")
                      % {"title": deadline.title})
        return redirect(_back(campaign, query))
    return render(request, "oversight/remind.html", {
        "campaign": campaign, "deadline": deadline, "unit_code": code, "query": query,
        "back": _back(campaign, query), "text": text, "error": error,
        "planned": planned[:PLAN_LINES], "count": count,
        "placeholders": manual.PLACEHOLDERS, "preview": "preview" in request.POST,
    })


@require(Action.REMIND_UNITS)
@require_GET
def remind_result(request, pk: int, run: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    reminder = get_object_or_404(ManualReminder.objects.select_related("deadline", "sent_by"),
                                 pk=run, campaign=campaign)
    result = manual.report(reminder)
    return render(request, "oversight/remind_result.html", {
        "campaign": campaign, "reminder": reminder, "result": result,
        "channels": ReminderChannel.choices,
        "counts": [(label, result.sent[value]) for value, label in ReminderChannel.choices],
    })


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
    runs = (ManualReminder.objects.filter(campaign=campaign)
            .select_related("deadline", "sent_by")[:50])
    return render(request, "oversight/reminders.html", {
        "campaign": campaign, "options": options, "sent": sent, "runs": runs, "error": error,
        "can_edit": allows(request.user, Action.MANAGE_CAMPAIGNS) and not campaign.is_closed,
        "mail_configured": reminders.mail_configured(),
        "sms_configured": reminders.sms.configured(),
    })
