"""Finding a place, and the campaigns its posters can carry, for a user: through
units.permissions (404 outside their reach), like articles.access."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigndesk.campaigns.models import Campaign
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, unit_or_404

from .models import Place


def place_or_404(user, pk: int, action: Action = Action.VIEW_UNIT) -> Place:
    place = get_object_or_404(Place.objects.select_related("unit"), pk=pk)
    unit_or_404(user, action, pk=place.unit_id)
    return place


def places_of(unit: Unit) -> QuerySet[Place]:
    """The places kept by the unit and every unit under it, with what a poster prints."""
    return (Place.objects.filter(unit__in=Unit.objects.under(unit)).select_related("unit")
            .prefetch_related("services", "staff", "steps"))


def report_chain(unit: Unit) -> list[str]:
    """The report paths of the unit and every unit it reports to ("/1/", "/1/5/", …)."""
    ids = [part for part in unit.report_path.split("/") if part]
    return ["/" + "/".join(ids[:n]) + "/" for n in range(1, len(ids) + 1)]


def campaigns_of(unit: Unit) -> QuerySet[Campaign]:
    """The campaigns a place of this unit takes part in: those of the bureau it reports to
    (a county's places are in its league's campaigns), newest first."""
    return (Campaign.objects.filter(participants__report_path__in=report_chain(unit)).distinct()
            .order_by("-start_date", "-pk"))


def campaign_or_404(unit: Unit, pk: int) -> Campaign:
    campaign = campaigns_of(unit).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def default_campaign(unit: Unit, today: date | None = None) -> Campaign | None:
    """The campaign signage is confirmed in when none was chosen: the running one (open and
    started, the latest), not a copy for next year made in advance; then the next to start;
    then the latest closed one (read-only)."""
    today = today or timezone.localdate()
    campaigns = campaigns_of(unit)
    opened = campaigns.filter(closed_at__isnull=True)
    return (opened.filter(start_date__lte=today).first()
            or opened.order_by("start_date", "pk").first() or campaigns.first())
