"""Nothing unsubmitted ever reaches a page without log-in (issue 12 point 10).

Every URL of the URL conf is requested anonymously, its path parameters filled with the
objects of a campaign that holds drafts: a progress round saved but not submitted, a
reopened round being corrected, and a brief that is written but not accepted. The pages
that answer without a log-in must not show a single figure or word of those drafts.
"""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from campaigndesk.articles import services as articles
from campaigndesk.articles.models import Article, Photo
from campaigndesk.progress import services
from campaigndesk.progress.table import ActivityRow
from campaigndesk.units.models import User
from tests.articles.conftest import BODY, TITLE, jpeg

DRAFT_NAME = "未报送的草稿活动甲乙丙"
DRAFT_PARTICIPANTS = 987_654
CORRECTION_PARTICIPANTS = 876_543
DRAFT_TITLE = "尚未采用的稿件标题丁戊己"


def patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


@pytest.fixture
def drafts(demo, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    hohhot = personas["reporter"]
    report = services.current_report(demo, hohhot.unit)
    services.save_round(hohhot, report, [(None, ActivityRow(
        name="已报送的活动", participants=12, start=date(2022, 3, 18)))])
    services.submit_report(hohhot, report, reporter_name="王芳", reporter_phone="13800001234")
    services.save_round(hohhot, services.current_report(demo, hohhot.unit), [(None, ActivityRow(
        name=DRAFT_NAME, participants=DRAFT_PARTICIPANTS, start=date(2022, 3, 28)))])
    baotou = User.objects.get(username="150200")
    reopened = services.current_report(demo, baotou.unit)
    services.save_round(baotou, reopened, [(None, ActivityRow(
        name="包头市活动", participants=3, start=date(2022, 3, 19)))])
    services.submit_report(baotou, reopened, reporter_name="李明", reporter_phone="13900001234")
    services.reopen_report(personas["region_admin"], reopened, reason="更正")
    activity = reopened.activities.live().get()
    services.save_round(baotou, reopened, [(activity.pk, ActivityRow(
        name="包头市活动", participants=CORRECTION_PARTICIPANTS, start=date(2022, 3, 19)))])
    # A published brief (so /news/ pages and photos have something) and an unaccepted one.
    published = articles.create_article(hohhot, campaign=demo, unit=hohhot.unit, title=TITLE,
                                        body=BODY)
    unpublished = articles.create_article(hohhot, campaign=demo, unit=hohhot.unit,
                                          title=DRAFT_TITLE, body=BODY)
    for article in (published, unpublished):
        for n in (1, 2):
            articles.add_photo(hohhot, article, jpeg(shapes=article.pk * 10 + n))
    articles.submit_article(hohhot, published)
    articles.accept_article(personas["reviewer"], published)
    articles.publish_article(personas["reviewer"], published, "website", date(2022, 3, 30))
    articles.submit_article(hohhot, unpublished)
    return demo, Article.objects.get(pk=published.pk), Article.objects.get(pk=unpublished.pk)


def fill(pattern: str, campaign, published, unpublished, place=None) -> list[str]:
    """Concrete paths for a pattern: each object parameter with every object it may name."""
    photos = {article.pk: list(Photo.objects.filter(article=article)) for article in
              (published, unpublished)}
    values = {
        "campaign_pk": [str(campaign.pk)], "pk": [str(campaign.pk), str(published.pk),
                                                 str(unpublished.pk)]
        + ([str(place.pk)] if place else []),
        "code": ["150100", "150200"], "number": ["1", "2"], "size": ["full", "thumb"],
        "key": [p.key for group in photos.values() for p in group],
    }
    paths = ["/" + pattern]
    for name in re.findall(r"<(?:\w+:)?(\w+)>", pattern):
        paths = [path.replace(re.search(rf"<(?:\w+:)?{name}>", path).group(0), value, 1)
                 for path in paths for value in values.get(name, ["1"])]
    return paths


def test_no_public_page_shows_unsubmitted_data(drafts, client):
    from tests.places.builders import STAFF_PHONE, make_place

    campaign, published, unpublished = drafts
    # A service place whose staff phones are not published (issue 16): its page is public,
    # its staff's phone numbers are not.
    place = make_place()
    public = []
    for pattern in patterns():
        for path in fill(pattern, campaign, published, unpublished, place):
            response = client.get(path)
            assert response.status_code < 500, path
            if response.status_code != 200:
                continue
            public.append(path)
            body = b"".join(response.streaming_content) if response.streaming else \
                response.content
            if response.get("Content-Type", "").startswith("image/"):
                assert unpublished.pk not in {p.article_id for p in Photo.objects.filter(
                    key=path.split("/")[-2])}, path
                continue
            text = body.decode("utf-8", "replace").replace(",", "")
            for secret in (DRAFT_NAME, str(DRAFT_PARTICIPANTS), str(CORRECTION_PARTICIPANTS),
                           DRAFT_TITLE, STAFF_PHONE):
                assert secret not in text, (path, secret)
    # The walk reached the public pages, with figures: it is not vacuous.
    assert any(path.startswith("/screen/") and path.endswith("data.json") for path in public)
    assert any(path.startswith("/news/photos/") for path in public)
    assert f"/news/{published.pk}/" in public
    assert "/places/" in public and f"/places/{place.pk}/" in public
    data = client.get(f"/screen/{campaign.pk}/data.json").json()
    figures = {item["label"]: item["value"] for item in data["figures"]}
    assert figures["参与人次"] == 12 + 3  # what was sent, nothing else
