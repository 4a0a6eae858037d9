"""The public pages (issue 16 point 3): no log-in, the six items, the map link only with
coordinates, the place's published briefs, the list by league and county with search; they
neither read nor renew a session."""

from datetime import date, timedelta
from decimal import Decimal

import time_machine
from django.urls import resolve, reverse
from django.utils import timezone

from campaigndesk.articles import services as articles
from campaigndesk.units.models import Unit
from tests.articles.conftest import BODY, jpeg
from tests.security.test_sessions import PAGE, logged_in_client, login_page

from .builders import NAME, STAFF_PHONE, make_place


def test_the_public_page_shows_the_six_items_and_masks_staff_phones(demo, client):
    place = make_place()
    response = client.get(reverse("place_public", kwargs={"pk": place.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport" content="width=device-width' in text
    for item in (NAME, "为辖区老年人和困境儿童", "个案服务", "困境儿童", "王芳", "社会工作师",
                 "需求评估", 'href="tel:0471-6946872"', "新城区海拉尔东路12号",
                 "周一至周五 8:30-17:30"):
        assert item in text, item
    assert STAFF_PHONE not in text and "139****5678" in text
    assert "uri.amap.com" not in text  # no coordinates, no map link


def test_published_staff_phones_and_the_map_link(demo, client):
    place = make_place(publish_staff_phones=True, longitude=Decimal("111.7"),
                       latitude=Decimal("40.8"))
    text = client.get(reverse("place_public", kwargs={"pk": place.pk})).content.decode()
    assert STAFF_PHONE in text
    assert "https://uri.amap.com/marker?position=111.700000,40.800000&amp;name=" in text


def test_the_place_page_lists_published_briefs_that_name_it(demo, personas, client, settings,
                                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make_place()
    reporter = personas["reporter"]
    titles = {"published": f"{NAME}开展社会工作宣传", "draft": f"{NAME}的未发布稿件"}
    for key, title in titles.items():
        article = articles.create_article(reporter, campaign=demo, unit=reporter.unit,
                                          title=title, body=BODY)
        if key == "published":
            for n in (1, 2):
                articles.add_photo(reporter, article, jpeg(shapes=n + 40))
            articles.submit_article(reporter, article)
            articles.accept_article(personas["reviewer"], article)
            articles.publish_article(personas["reviewer"], article, "website", date(2022, 3, 30))
    text = client.get(reverse("place_public", kwargs={"pk": place.pk})).content.decode()
    assert titles["published"] in text and titles["draft"] not in text


def test_the_public_list_by_league_county_and_search(demo, client):
    make_place()
    baotou_county = Unit.objects.filter(reports_to__code="150200").order_by("code").first()
    make_place(by="region-admin", unit=baotou_county, name="包头市某社工室",
               address="东河区巴彦塔拉大街1号")
    url = reverse("places_public")
    everything = client.get(url).content.decode()
    assert NAME in everything and "包头市某社工室" in everything
    hohhot = client.get(url, {"league": "150100"}).content.decode()
    assert NAME in hohhot and "包头市某社工室" not in hohhot and "新城区" in hohhot
    county = Unit.objects.get(name="新城区")
    assert NAME in client.get(url, {"league": "150100", "county": county.code}).content.decode()
    found = client.get(url, {"q": "海拉尔东路"}).content.decode()
    assert NAME in found and "包头市某社工室" not in found
    assert "没有找到符合条件的服务场所" in client.get(url, {"q": "不存在的场所"}).content.decode()


def test_public_pages_are_passive_and_do_not_keep_a_session_alive(demo):
    place = make_place()
    urls = [reverse("places_public"), reverse("place_public", kwargs={"pk": place.pk})]
    assert all(getattr(resolve(u).func, "session_passive", False) for u in urls)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = logged_in_client()
        for _minute in range(35):
            clock.shift(timedelta(minutes=1))
            for url in urls:
                assert client.get(url).status_code == 200
        assert login_page(client.get(PAGE))
