"""How an API route finds what it may touch: the token's scope, then the same permission
layer as the web (units.permissions) deciding for the token's principal."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from campaigndesk.campaigns.models import Campaign
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, unit_or_404, visible_campaigns

from .models import ApiToken, Scope, TokenPrincipal


class ScopeMissing(Exception):
    """The token was not given the scope this route needs: 403 with the scope's name."""

    def __init__(self, scope: str) -> None:
        label = dict(Scope.choices)[scope]
        super().__init__(_("该令牌没有“%(scope)s”权限（%(code)s），请联系自治区管理员") % {
            "scope": label, "code": scope})


def principal(request, scope: str | tuple[str, ...]) -> TokenPrincipal:
    """The token's principal when the token has `scope` (or, given several, any of them)."""
    token: ApiToken = request.auth
    wanted = (scope,) if isinstance(scope, str) else scope
    if not any(s in token.scopes for s in wanted):
        raise ScopeMissing(wanted[0])
    return request.principal


def unit_of(request, scope: str | tuple[str, ...], action: Action, code: str) -> Unit:
    return unit_or_404(principal(request, scope), action, code=code)


def campaign_of(request, scope: str, campaign_id: int) -> Campaign:
    """A campaign the principal may open (units.permissions.visible_campaigns), else 404."""
    found = visible_campaigns(principal(request, scope)).filter(pk=campaign_id).first()
    if found is None:
        raise Http404
    return found


def unit_campaign(request, scope: str | tuple[str, ...], action: Action, campaign_id: int,
                  code: str) -> tuple[Campaign, Unit]:
    """(campaign, unit) for a unit's page of a campaign, as the web's campaign-scoped unit
    pages decide: the unit through unit_or_404, the campaign among those it takes part in."""
    unit = unit_of(request, scope, action, code)
    campaign = Campaign.objects.of_unit(unit, campaign_id)
    if campaign is None:
        raise Http404
    return campaign, unit
