"""Published briefs, without a token: exactly those the public /news/ site shows
(articles.views_public.published_articles), with their photos' public addresses."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from ninja import Query

from campaigndesk.articles.views_public import published_articles

from .api import api
from .schemas import BriefOut, BriefPage, Error, Id


def _brief(article) -> dict:
    return {"id": article.pk, "title": article.title, "unit": article.unit.code,
            "unit_name": article.unit.name, "campaign_id": article.campaign_id,
            "published_on": article.website_on, "is_typical": article.typical_at is not None,
            "body": article.body,
            "photos": [{"caption": p.caption, "width": p.width, "height": p.height,
                        "url": reverse("news_photo", kwargs={"key": p.key, "size": "full"}),
                        "thumbnail_url": reverse("news_photo",
                                                 kwargs={"key": p.key, "size": "thumb"})}
                       for p in article.photos.all()]}


@api.get("/news/briefs", auth=None, response={200: BriefPage, 422: Error}, tags=["公开"],
         summary="已在网站发布的稿件（无需令牌）")
def briefs(request, campaign_id: Id | None = None, unit: str | None = None,
           typical: bool = False, page: int = Query(1, ge=1, le=1_000_000),
           page_size: int = Query(20, ge=1, le=100)):
    found = published_articles()
    if campaign_id is not None:
        found = found.filter(campaign_id=campaign_id)
    if unit is not None:
        from campaigndesk.units.models import Unit

        chosen = Unit.objects.filter(code=unit).first()
        found = found.filter(unit__report_path__startswith=chosen.report_path) if chosen \
            else found.none()
    if typical:
        found = found.filter(typical_at__isnull=False)
    start = (page - 1) * page_size
    return {"count": found.count(), "page": page, "page_size": page_size,
                 "results": [_brief(a) for a in found[start:start + page_size]]}


@api.get("/news/briefs/{brief_id}", auth=None, response={200: BriefOut, 404: Error},
         tags=["公开"], summary="一篇已发布的稿件（无需令牌）")
def brief(request, brief_id: Id):
    article = published_articles().filter(pk=brief_id).first()
    if article is None:
        raise Http404
    return _brief(article)
