from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigndesk.security.concurrency import EditConflict, show_conflict
from campaigndesk.units.models import Role, Unit
from campaigndesk.units.permissions import Action, allows, login_only, require, unit_or_404

from . import services
from .forms import CampaignForm, ContactFormSet, CopyForm, DeadlineFormSet, formset_initial, kept
from .models import Campaign
from .status import reporting_rate, status_matrix, unit_statuses


@login_only
def home(request):
    """Everyone lands where their work is."""
    user = request.user
    if allows(user, Action.VIEW_OVERVIEW):
        campaign = Campaign.objects.current()
        if campaign is None:
            return redirect("campaign_list")
        return redirect("campaign_overview", pk=campaign.pk)
    if user.role == Role.REPORTER and user.unit_id:
        return redirect("unit_home", code=user.unit.code)
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
        "copy_form": CopyForm(initial={"year": timezone.localdate().year}),
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
        "can_manage": allows(request.user, Action.MANAGE_CAMPAIGNS),
    })


@login_only
def unit_home(request, code: str, campaign_pk: int | None = None):
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = Campaign.objects.of_unit(unit, campaign_pk)
    if campaign is None and campaign_pk is not None:
        raise Http404
    statuses = unit_statuses(campaign, unit) if campaign else []
    children = Unit.objects.filter(reports_to=unit, is_active=True).order_by("code")
    return render(request, "campaigns/unit_home.html", {
        "unit": unit,
        "campaign": campaign,
        "statuses": statuses,
        "children": children,
        "other_campaigns": unit.campaigns.exclude(pk=getattr(campaign, "pk", None)),
    })


def _save_campaign(request, campaign: Campaign | None):
    contacts_initial, deadlines_initial = formset_initial(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    contacts = ContactFormSet(request.POST or None, prefix="contacts", initial=contacts_initial)
    deadlines = DeadlineFormSet(request.POST or None, prefix="deadlines",
                                initial=deadlines_initial)
    if request.method == "POST" and all(
        [form.is_valid(), contacts.is_valid(), deadlines.is_valid()]
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
            return redirect("campaign_overview", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {
        "form": form,
        "contacts": contacts,
        "deadlines": deadlines,
        "campaign": campaign,
    })


@require(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    return _save_campaign(request, None)


@require(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    return _save_campaign(request, get_object_or_404(_campaign_detail_queryset(), pk=pk))


@require(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_copy(request, pk: int):
    source = get_object_or_404(_campaign_detail_queryset(), pk=pk)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的年度（2000—2100）"))
        return redirect("campaign_list")
    campaign = services.copy_campaign(request.user, source, year=form.cleaned_data["year"])
    messages.success(
        request, _("已复制为“%(title)s”，请核对日期和内容") % {"title": campaign.title}
    )
    return redirect("campaign_edit", pk=campaign.pk)
