"""The public side, no log-in: /places/ (by league and county, with search) and each
place's page, phone-first, the target of its posters' QR code. Marked @passive: a visit
never reads or renews a session. Staff phones are masked unless the place publishes them."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from campaigndesk.articles.views_public import published_articles
from campaigndesk.security.idle import passive
from campaigndesk.security.masking import mask_phone
from campaigndesk.units.models import Level, Unit

from .access import report_chain
from .models import Place

PAGE_SIZE = 20
MAX_QUERY = 50
MAX_BRIEFS = 10


def _code(params, name: str) -> str:
    return params.get(name, "").strip()[:20]


@passive
def places_public(request):
    # The bureaus with a place anywhere under them (a league's places are its counties').
    paths = set(Place.objects.values_list("unit__report_path", flat=True).distinct())
    bureaus = [u for u in Unit.objects.reporting().order_by("code")
               if any(path.startswith(u.report_path) for path in paths)]
    places = Place.objects.select_related("unit")
    league = next((u for u in bureaus if u.code == _code(request.GET, "league")), None)
    counties: list[Unit] = []
    county = None
    if league is not None:
        places = places.filter(unit__report_path__startswith=league.report_path)
        counties = list(Unit.objects.under(league).exclude(pk=league.pk)
                        .filter(places__isnull=False).distinct().order_by("code"))
        county = next((u for u in counties if u.code == _code(request.GET, "county")), None)
        if county is not None:
            places = places.filter(unit__report_path__startswith=county.report_path)
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    if query:
        places = places.filter(Q(name__icontains=query) | Q(address__icontains=query)
                               | Q(content__icontains=query) | Q(unit__name__icontains=query))
    page = Paginator(places.order_by("unit__code", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "places/public_list.html", {
        "page": page, "bureaus": bureaus, "league": league, "counties": counties,
        "county": county, "query": query,
    })


def map_link(place: Place) -> str:
    """Amap's marker page, which opens the map app on a phone; only with coordinates."""
    if not place.has_location:
        return ""
    query = urlencode({"position": f"{place.longitude},{place.latitude}", "name": place.name},
                      safe=",")
    return f"https://uri.amap.com/marker?{query}"


def place_briefs(place: Place):
    """The published briefs that name the place, written by its unit, a unit under it or
    one it reports to (most briefs are the bureaus')."""
    return (published_articles()
            .filter(Q(unit__report_path__startswith=place.unit.report_path)
                    | Q(unit__report_path__in=report_chain(place.unit)))
            .filter(Q(title__contains=place.name) | Q(body__contains=place.name))[:MAX_BRIEFS])


@passive
def place_public(request, pk: int):
    place = get_object_or_404(Place.objects.select_related("unit"), pk=pk)
    staff = [(s, s.phone if place.publish_staff_phones else mask_phone(s.phone))
             for s in place.staff.all()]
    league = next((u for u in Unit.objects.reporting() if u.contains(place.unit)), None)
    return render(request, "places/public_place.html", {
        "place": place, "staff": staff, "services": place.services.all(),
        "steps": place.steps.all(), "map_link": map_link(place),
        "briefs": place_briefs(place), "league": league,
        "heading": _("社会工作服务场所"), "level_county": Level.COUNTY,
    })
