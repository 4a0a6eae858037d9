"""Old URLs without the campaign (bookmarks, links in old e-mails): each leads, by GET only,
to the same page of the unit's most urgent open campaign. Nothing is ever saved through
them, so a form can never land in another campaign than the one it was opened in."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from campaigndesk.units.permissions import Action, unit_or_404

from .urgency import most_urgent_for_unit


def redirect_to_campaign(request, code: str, target: str, action: Action = Action.VIEW_UNIT):
    """`target` is the URL name of the campaign's page, taking campaign_pk and code."""
    unit = unit_or_404(request.user, action, code=code)
    campaign = most_urgent_for_unit(unit)
    if campaign is None:
        raise Http404
    url = reverse(target, kwargs={"campaign_pk": campaign.pk, "code": unit.code})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)
