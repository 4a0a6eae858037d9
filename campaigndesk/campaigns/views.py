from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.core.concurrency import EditConflict, show_conflict
from campaigndesk.core.textforms import checks_text, removed_count, say_removed
from campaigndesk.formerrors import problems
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, require, unit_or_404

from . import services, urgency
from .cascade import cascade_of, member_statuses
from .forms import (
    CampaignForm,
    ContactFormSet,
    CopyForm,
    DeadlineFormSet,
    ReasonForm,
    check_deadline_dates,
    formset_initial,
    kept,
)
from .models import Campaign
from .status import reporting_rate, status_matrix, unit_statuses


@login_only
def home(request):
    """Everyone lands where their work is: with one campaign, on it; with several, on the
    list of the open ones, most urgent first (campaigns.urgency), closed ones apart."""
    user = request.user
    region = allows(user, Action.VIEW_OVERVIEW)
    if region or (user.unit_id and allows(user, Action.VIEW_UNIT, user.unit)):
        opened, closed = urgency.entries_for(user)
        if len(opened) + len(closed) == 1:
            return redirect(urgency.campaign_home_url(user, (opened or closed)[0].campaign))
        if not opened and not closed:
            if region:
                return redirect("campaign_list")
            return redirect("unit_home", code=user.unit.code)
        return render(request, "campaigns/home.html", {
            "opened": opened, "closed": closed, "region": region,
        })
    if allows(user, Action.VIEW_NATIONAL):
        return redirect("ministry_national")
    if allows(user, Action.READ_AUDIT):
        return redirect("audit_log")
    if allows(user, Action.MANAGE_UNITS):
        return redirect("unit_list")
    if allows(user, Action.MANAGE_SECURITY):
        return redirect("security_locks")
    return render(request, "campaigns/no_role.html", status=403)


def _campaign_detail_queryset():
    return Campaign.objects.prefetch_related("deadlines", "contacts", "vocabulary_items")


@require(Action.VIEW_OVERVIEW)
def campaign_list(request):
    campaigns = Campaign.objects.all()
    return render(request, "campaigns/campaign_list.html", {
        "campaigns": campaigns,
        "can_manage": allows(request.user, Action.MANAGE_CAMPAIGNS),
    })


@require(Action.VIEW_OVERVIEW)
def campaign_overview(request, pk: int):
    campaign = get_object_or_404(_campaign_detail_queryset(), pk=pk)
    units = campaign.participants.select_related("geo_parent").order_by("code")
    rows = status_matrix(campaign, units)
    deadlines = list(campaign.deadlines.all())
    rates = [reporting_rate(rows, i) for i in range(len(deadlines))]
    return render(request, "campaigns/overview.html", {
        "campaign": campaign,
        "rows": rows,
        "deadline_rates": list(zip(deadlines, rates, strict=True)),
        "can_manage": allows(request.user, Action.MANAGE_CAMPAIGNS) and not campaign.is_closed,
        "can_copy": allows(request.user, Action.MANAGE_CAMPAIGNS),
        "can_close": allows(request.user, Action.CLOSE_CAMPAIGNS),
        "close_form": ReasonForm(initial={"reason": _("活动已结束，材料已归档")}),
    })


@login_only
@require_GET
def unit_home(request, code: str):
    """The unit's page without a campaign (old links): its most urgent open campaign."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = urgency.most_urgent_for_unit(unit)
    if campaign is not None:
        return redirect("campaign_unit_home", campaign_pk=campaign.pk, code=unit.code)
    return render(request, "campaigns/unit_home.html", _unit_context(unit, None))


@login_only
@require_GET
def campaign_unit_home(request, campaign_pk: int, code: str):
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = Campaign.objects.of_unit(unit, campaign_pk)
    if campaign is None:
        raise Http404
    return render(request, "campaigns/unit_home.html", _unit_context(unit, campaign))


def _unit_context(unit: Unit, campaign: Campaign | None) -> dict:
    # A county inside its bureau's cascade (issue 17) works by the bureau's deadlines.
    member_of = cascade_of(campaign, unit) if campaign else None
    return {
        "unit": unit,
        "campaign": campaign,
        "member_of": member_of,
        "runs_cascade": bool(campaign and unit.is_reporting),
        "statuses": (member_statuses(member_of, unit) if member_of
                     else unit_statuses(campaign, unit) if campaign else []),
        "children": Unit.objects.filter(reports_to=unit, is_active=True).order_by("code"),
    }


def _save_campaign(request, campaign: Campaign | None):
    contacts_initial, deadlines_initial = formset_initial(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    contacts = ContactFormSet(request.POST or None, prefix="contacts", initial=contacts_initial)
    deadlines = DeadlineFormSet(request.POST or None, prefix="deadlines",
                                initial=deadlines_initial)
    if request.method == "POST" and all(
        [form.is_valid(), contacts.is_valid(), deadlines.is_valid(),
         check_deadline_dates(deadlines, form.cleaned_data)]
    ):
        arguments = {
            "fields": form.campaign_fields(),
            "participants": form.cleaned_data["participants"],
            "vocabulary": form.vocabulary(),
            "contacts": kept(contacts),
            "deadlines": kept(deadlines),
        }
        try:
            if campaign is None:
                campaign = services.create_campaign(request.user, **arguments)
            else:
                campaign = services.update_campaign(
                    request.user, campaign, expected_version=form.cleaned_data.get("version"),
                    **arguments)
        except EditConflict as exc:
            # Keep what the user typed on screen; the next save is made from the new version.
            show_conflict(form, exc)
            return render(request, "campaigns/campaign_form.html", {
                "form": form, "contacts": contacts, "deadlines": deadlines,
                "campaign": campaign}, status=409)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已保存“%(title)s”") % {"title": campaign.title})
            say_removed(request, removed_count(form, contacts, deadlines))
            return redirect("campaign_overview", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {
        "form": form,
        "contacts": contacts,
        "deadlines": deadlines,
        "campaign": campaign,
    })


@checks_text
@require(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    return _save_campaign(request, None)


@checks_text
@require(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = get_object_or_404(_campaign_detail_queryset(), pk=pk)
    if campaign.is_closed:
        messages.error(request, str(services.CLOSED_MESSAGE))
        return redirect("campaign_overview", pk=campaign.pk)
    return _save_campaign(request, campaign)


@require(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_copy(request, pk: int):
    """GET: the new year (default: the year after the source), the title and what will be
    copied; nothing is created. POST: create it and open it for editing."""
    source = get_object_or_404(_campaign_detail_queryset(), pk=pk)
    if request.method == "POST":
        form = CopyForm(request.POST)
    elif "year" in request.GET:  # 更新预览 after changing the year or the title
        form = CopyForm(request.GET)
    else:
        form = CopyForm(initial={"year": source.year + 1})
    plan = None
    if not form.is_bound:
        plan = services.plan_copy(source)
    elif form.is_valid():
        plan = services.plan_copy(source, year=form.cleaned_data["year"],
                                  title=form.cleaned_data["title"])
        if request.method == "POST" and not plan.problems:
            try:
                campaign = services.copy_campaign(request.user, source, year=plan.fields["year"],
                                                  title=plan.fields["title"])
            except ValidationError as exc:  # another administrator was quicker
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("已复制为“%(title)s”，请核对日期和内容") % {
                    "title": campaign.title})
                return redirect("campaign_edit", pk=campaign.pk)
    return render(request, "campaigns/campaign_copy.html", {
        "source": source, "form": form, "plan": plan,
    }, status=400 if request.method == "POST" else 200)


def _closing(request, pk: int, service, done: str):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():  # empty, or longer than the 200 characters kept
            raise ValidationError([p.message for p in problems(form)])
        service(request.user, campaign, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done % {"title": campaign.title})
    return redirect("campaign_overview", pk=campaign.pk)


@require(Action.CLOSE_CAMPAIGNS)
@require_POST
def campaign_close(request, pk: int):
    return _closing(request, pk, services.close_campaign,
                    _("已关闭“%(title)s”：各单位只能查看，不能再报送或修改"))


@require(Action.CLOSE_CAMPAIGNS)
@require_POST
def campaign_reopen(request, pk: int):
    return _closing(request, pk, services.reopen_campaign,
                    _("已重新开放“%(title)s”，各单位可以继续报送"))
