"""The public news site at /news/: briefs published on the department's website, no log-in.

Only briefs with a website publication dated today or earlier are visible; everything else
(drafts, briefs in review, their photos) answers 404 here.
"""

from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.security.idle import passive
from campaigndesk.units.models import Unit

from .models import Article, Channel, Photo
from .views import serve_photo

PAGE_SIZE = 12


def published_ids():
    return Article.objects.live().filter(
        publications__channel=Channel.WEBSITE,
        publications__date__lte=timezone.localdate()).values("pk")


def published_articles():
    return (Article.objects.live().filter(pk__in=published_ids())
            .annotate(website_on=Max("publications__date",
                                     filter=Q(publications__channel=Channel.WEBSITE)))
            .select_related("unit").prefetch_related("photos")
            .order_by("-website_on", "-pk"))


def _list(request, articles, heading: str, **extra):
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    units = (Unit.objects.filter(articles__in=published_ids()).distinct()
             .order_by("code"))
    return render(request, "news/list.html", {"page": page, "heading": heading,
                                              "units": units, **extra})


@passive
def news_index(request):
    return _list(request, published_articles(), _("最新稿件"), section="date")


@passive
def news_typical(request):
    return _list(request, published_articles().filter(typical_at__isnull=False), _("典型案例"),
                 section="typical")


@passive
def news_unit(request, code: str):
    unit = get_object_or_404(Unit, code=code)
    articles = published_articles().filter(unit__report_path__startswith=unit.report_path)
    return _list(request, articles, unit.name, section="unit", unit=unit)


@passive
def news_article(request, pk: int):
    article = get_object_or_404(published_articles(), pk=pk)
    return render(request, "news/article.html", {"article": article,
                                                 "photos": article.photos.all()})


@passive
def news_photo(request, key: str, size: str):
    photo = get_object_or_404(Photo, key=key, article__in=published_ids())
    response = serve_photo(photo, size)
    response["Cache-Control"] = "public, max-age=86400"
    return response
