"""The service places' rows of the URL × persona matrix (tests/test_permissions.py merges
them). Walked on one place of 新城区 (under 呼和浩特市, 150100), made on first use, and its
signage photo in the walked campaign."""

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
REGION = {"region_admin", "reviewer", "superuser"}
REPORTERS = {"reporter", "other_reporter", "hulunbuir", "manzhouli"}
READERS = REGION | {"reporter"}
WRITERS = {"region_admin", "superuser", "reporter"}


def place(f):
    if "place" not in f:
        from .builders import make_place

        f["place"] = make_place()
    return f["place"]


def signage(f):
    if "signage" not in f:
        from campaigndesk.places import services
        from campaigndesk.units.models import User
        from tests.articles.conftest import jpeg

        f["signage"] = services.confirm_signage(User.objects.get(username="150100"), place(f),
                                                f["campaign"], jpeg(shapes=21))
    return f["signage"]


def _unit(f):
    return {"code": "150100"}


def _place(f):
    return {"pk": place(f).pk}


def _in_campaign(f):
    return {"campaign_pk": f["campaign"].pk, "pk": place(f).pk}


PLACES_MATRIX = {
    "places_public": (lambda f: {}, EVERYONE, None),
    "place_public": (_place, EVERYONE, None),
    "places_home": (lambda f: {}, REGION | REPORTERS, "POST"),
    "unit_places": (_unit, READERS, "POST"),
    "place_create": (_unit, WRITERS, "PUT"),
    "places_template": (_unit, READERS, "POST"),
    "places_export": (_unit, READERS, "POST"),
    # POST only; access is checked first, so an outsider's GET is 404, not 405.
    "places_import": (_unit, WRITERS, "GET"),
    "place_edit": (_place, WRITERS, "PUT"),
    "place_delete": (_place, WRITERS, "GET"),
    "place_poster": (lambda f: {**_in_campaign(f), "size": "a4"}, READERS, "POST"),
    # Started as a background job by a POST, access checked first (as places_import).
    "unit_posters": (lambda f: {"campaign_pk": f["campaign"].pk, "code": "150100"}, READERS,
                     "GET"),
    "place_signage": (_in_campaign, WRITERS, "GET"),
    "signage_photo": (lambda f: {"key": signage(f).key, "size": "thumb"}, READERS, "POST"),
}
# No log-in: the public list and each place's page (the posters' QR code leads there).
PLACES_PUBLIC = {"places_public", "place_public"}
