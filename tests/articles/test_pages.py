"""Pages: the writing page's check, the brief page, counts, the public site, the demo."""

from datetime import date

import pytest
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Article, Channel, State

from .conftest import BODY, TITLE

pytestmark = pytest.mark.django_db


def published(article, reviewer, when=date(2022, 3, 25)):
    services.publish_article(reviewer, article, Channel.WEBSITE, when)
    return Article.objects.get(pk=article.pk)


def test_check_highlights_and_offers_the_suggestion(draft, personas, as_user):
    client = as_user(personas["reporter"])
    body = BODY + "\n本次活动的服务对像为辖区老年人和残疾人。"
    response = client.post(reverse("article_check", kwargs={"pk": draft.pk}),
                           {"title": TITLE, "body": body}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    # A guess of the language model this sure is an error (a weaker one, a warning); either
    # way it shows how sure it is and the model's scores for the text as written and fixed.
    assert '<mark class="finding finding-error"' in html and ">对像</mark>" in html
    start = body.index("对像")
    assert f'data-start="{start}"' in html and 'data-suggestion="对象"' in html
    assert "把握 " in html and "语言模型评分 原文 " in html


def test_submit_with_open_error_needs_justification_through_the_page(draft, personas,
                                                                      as_user):
    client = as_user(personas["reporter"])
    url = reverse("article_submit", kwargs={"pk": draft.pk})
    data = {"title": TITLE, "body": BODY.replace("老年人提供", "老年人提供,"), "confirm": "on",
            "time_text": draft.time_text, "place_text": draft.place_text,
            "recipients_text": draft.recipients_text,
            "participants_text": draft.participants_text}
    response = client.post(url, data, follow=True)
    assert "错误尚未修改" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).state == State.DRAFT
    client.post(url, {**data, "justification": "引用原文"})
    assert Article.objects.get(pk=draft.pk).state == State.SUBMITTED
    page = as_user(personas["reviewer"]).get(reverse("article_detail", kwargs={"pk": draft.pk}))
    assert "报送人对未修改问题的说明：" in page.content.decode()
    assert "引用原文" in page.content.decode()


def test_another_units_brief_is_404(draft, personas, as_user):
    client = as_user(personas["other_reporter"])
    for name in ("article_detail", "article_edit"):
        response = client.get(reverse(name, kwargs={"pk": draft.pk}))
        assert response.status_code == 404
        assert TITLE not in response.content.decode()
    listing = client.get(reverse("campaign_unit_articles", kwargs={
        "campaign_pk": draft.campaign_id, "code": "150200"}))
    assert listing.status_code == 200
    assert TITLE not in listing.content.decode()


def test_public_site_lists_only_published_and_escapes(accepted, draft, personas, client):
    Article.objects.filter(pk=accepted.pk).update(title="<script>alert('x')</script>标题")
    assert client.get(reverse("news_index")).content.decode().count("<script>") == 0
    article = published(Article.objects.get(pk=accepted.pk), personas["reviewer"])
    for url in (reverse("news_index"), reverse("news_unit", kwargs={"code": "150100"}),
                reverse("news_article", kwargs={"pk": article.pk})):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;标题" in html, url
        assert "<script>alert" not in html
    photo = article.photos.first()
    response = client.get(reverse("news_photo", kwargs={"key": photo.key, "size": "full"}))
    assert response.status_code == 200
    assert client.get(reverse("news_typical")).content.decode().count("标题") == 0


def test_unpublished_brief_and_its_photos_are_404_in_public(accepted, client):
    assert client.get(reverse("news_article", kwargs={"pk": accepted.pk})).status_code == 404
    key = accepted.photos.first().key
    assert client.get(reverse("news_photo", kwargs={"key": key, "size": "full"})
                      ).status_code == 404


def test_future_website_date_is_not_shown_yet(accepted, personas, client):
    published(accepted, personas["reviewer"], when=date(2999, 1, 1))
    assert client.get(reverse("news_article", kwargs={"pk": accepted.pk})).status_code == 404


def test_overview_shows_counts_per_unit(accepted, personas, as_user, demo):
    services.recommend_to_ministry(personas["reviewer"], accepted)
    html = as_user(personas["reviewer"]).get(
        reverse("campaign_overview", kwargs={"pk": demo.pk})).content.decode()
    assert 'id="article-counts"' in html
    row = html[html.index("<td>呼和浩特市</td>"):]
    row = row[:row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[1:-1]]
    # submitted, returned, accepted, typical, website, wechat, magazine, recommended
    assert cells == ["1", "0", "1", "0", "0", "0", "0", "1"]


def test_wechat_page(accepted, personas, as_user):
    response = as_user(personas["reviewer"]).get(
        reverse("article_wechat", kwargs={"pk": accepted.pk}))
    assert response.status_code == 200 and "复制 HTML" in response.content.decode()


def test_reviewer_steps_through_the_pages(submitted, personas, as_user):
    client = as_user(personas["reviewer"])
    step = lambda name, **data: client.post(  # noqa: E731
        reverse("article_step", kwargs={"pk": submitted.pk, "step": name}), data)
    step("accept")
    step("typical")
    step("publish", channel="wechat", date="2022-03-28")
    step("recommend")
    article = Article.objects.get(pk=submitted.pk)
    assert article.state == State.PUBLISHED and article.is_typical and article.is_recommended
    assert article.publication(Channel.WECHAT).date == date(2022, 3, 28)
    # A reporter's POST to a step is refused.
    reporter = as_user(personas["reporter"])
    response = reporter.post(reverse("article_step", kwargs={"pk": submitted.pk,
                                                             "step": "accept"}))
    assert response.status_code == 403


def test_demo_briefs(demo, settings, tmp_path, client):
    from campaigndesk.articles.demo import load_demo_articles

    load_demo_articles(demo)
    states = sorted(Article.objects.values_list("state", flat=True))
    assert states == sorted(["published", "submitted", "returned", "accepted", "published",
                             "draft"])
    html = client.get(reverse("news_index")).content.decode()
    assert "赛罕区开展“五社联动聚合力 社工服务暖基层”主题宣传活动" in html
    # The demo's deliberate copy is flagged.
    from campaigndesk.articles.photos import near_duplicates

    copy = Article.objects.get(state="submitted").photos.order_by("position").last()
    assert near_duplicates(copy)
    # The campaign as it was: sent, reviewed and changed in March 2022, not on load day.
    from zoneinfo import ZoneInfo

    beijing = ZoneInfo("Asia/Shanghai")
    for article in Article.objects.all():
        moments = [article.created_at, article.updated_at, article.submitted_at,
                   article.accepted_at, article.typical_at, article.recommended_at,
                   *article.versions.values_list("submitted_at", flat=True)]
        for moment in filter(None, moments):
            local = moment.astimezone(beijing)
            assert (local.year, local.month) == (2022, 3) and 17 <= local.day <= 31, (
                article.title, moment)
        assert article.created_at <= article.updated_at
