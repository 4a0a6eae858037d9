"""The screen display: no log-in, the slogan, figures, only published photos."""

from django.urls import reverse

from campaigndesk.articles.models import Photo
from campaigndesk.articles.views_public import published_ids
from campaigndesk.oversight import dashboard


def test_screen_shows_slogan_figures_and_only_published_photos(sample_demo, client):
    # The 2022 campaign's screen: /screen/ alone shows the live demo copy (no briefs).
    response = client.get(reverse("screen_campaign", kwargs={"campaign_pk": sample_demo.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert sample_demo.slogan in html
    assert 'http-equiv="refresh"' in html and "screen.js" in html
    assert "<script>" not in html
    published = set(Photo.objects.filter(article__in=published_ids()).values_list("key", flat=True))
    hidden = set(Photo.objects.values_list("key", flat=True)) - published
    assert published and hidden
    assert all(key in html for key in published)
    assert not any(key in html for key in hidden)
    for key in published:
        photo = client.get(reverse("news_photo", kwargs={"key": key, "size": "full"}))
        assert photo.status_code == 200


def test_screen_data_json(sample_demo, client):
    data = client.get(reverse("screen_data", kwargs={"campaign_pk": sample_demo.pk})).json()
    total = dashboard.overall(dashboard.activities(sample_demo, dashboard.Filters()))
    figures = {f["label"]: f["value"] for f in data["figures"]}
    assert figures["开展活动"] == total.activities == 6
    assert figures["参与人次"] == total.participants
    assert figures["报送单位"] == 3
    assert data["slogan"] == sample_demo.slogan
    assert all(p["src"].startswith("/news/photos/") for p in data["photos"])


def test_screen_without_campaign(db, client):
    response = client.get(reverse("screen"))
    assert response.status_code == 200
    assert "暂无进行中的宣传活动" in response.content.decode()


def test_the_wall_stays_on_the_running_campaign_when_next_year_is_copied(demo, personas,
                                                                         client):
    """An outside tester copied the campaign to 2031 and /screen/ showed the empty copy."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from campaigndesk.campaigns.services import copy_campaign

    copy_campaign(personas["region_admin"], demo, year=2031)
    with time_machine.travel(datetime(2022, 3, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("screen")).content.decode()
    assert demo.title in page and "2031年" not in page
