"""全屏社会工作宣传: the screen display for LED walls and TVs, no log-in.

Only what is public anyway: the slogan, headline figures, and photos and titles of briefs
published on the department's website, through the same public photo URLs as /news/.
The page rotates the photos itself and fetches data.json every minute (screen.js); a
meta refresh reloads the whole page every ten minutes in case a script ever stalls.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigndesk.articles.models import Photo
from campaigndesk.articles.views_public import published_articles, published_ids
from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress.reported import reporting_units
from campaigndesk.security.idle import passive

from . import dashboard

PHOTOS = 12
HEADLINES = 8


def screen_payload(campaign: Campaign) -> dict:
    total = dashboard.participants_total(campaign)
    participants = campaign.participants.count()
    reported = reporting_units(campaign)  # the same 报送单位 as the summary draft
    articles = published_articles().filter(campaign=campaign)
    photos = (Photo.objects.filter(article__in=published_ids(), article__campaign=campaign)
              .select_related("article__unit").order_by("-article__pk", "position")[:PHOTOS])
    return {
        "title": campaign.title,
        "slogan": campaign.slogan,
        "figures": [
            {"label": _("开展活动"), "value": total.activities, "unit": _("场")},
            {"label": _("参与人次"), "value": total.participants, "unit": _("人次")},
            {"label": _("受益人次"), "value": total.beneficiaries, "unit": _("人次")},
            {"label": _("链接资金"), "value": round(total.funds_fen / 1_000_000, 2),
             "unit": _("万元")},
            {"label": _("报送单位"), "value": reported, "unit": f"/{participants}"},
            {"label": _("发布稿件"), "value": articles.count(), "unit": _("篇")},
        ],
        "photos": [{
            "src": reverse("news_photo", kwargs={"key": p.key, "size": "full"}),
            "caption": p.caption or p.article.title,
            "unit": p.article.unit.name,
        } for p in photos],
        "headlines": [{"title": a.title, "unit": a.unit.name,
                       "href": reverse("news_article", kwargs={"pk": a.pk})}
                      for a in articles[:HEADLINES]],
    }


@passive
@require_GET
def screen(request, campaign_pk: int | None = None):
    if campaign_pk is None:
        campaign = Campaign.objects.current()
    else:
        campaign = get_object_or_404(Campaign, pk=campaign_pk)
    payload = screen_payload(campaign) if campaign else None
    return render(request, "oversight/screen.html", {"campaign": campaign, "data": payload})


# Polled every minute: a screen left open in a logged-in browser must not keep the session.
@passive
@require_GET
def screen_data(request, campaign_pk: int):
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    response = JsonResponse(screen_payload(campaign))
    response["Cache-Control"] = "public, max-age=30"
    return response
