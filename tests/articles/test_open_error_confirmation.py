"""A brief sent with open 错误 is accepted or recommended to 民政部 only once the reviewer
confirmed them by their number (outside walk 14b: one click did both, nothing asked)."""

import pytest
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Article, State
from campaigndesk.audit.models import AuditEntry

from .conftest import BODY

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_errors(draft, personas):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, body=BODY.replace("老年人提供", "老年人提供,"))
    version = services.submit_article(reporter, Article.objects.get(pk=draft.pk),
                                      justification="原文引用，不作修改")
    assert len(version.open_errors) == 1
    return Article.objects.get(pk=draft.pk)


def _step(client, article, step, **data):
    return client.post(reverse("article_step", kwargs={"pk": article.pk, "step": step}),
                       data, follow=True)


def test_accept_and_recommend_ask_to_confirm_the_open_errors(with_errors, personas,
                                                             as_user):
    client = as_user(personas["reviewer"])
    page = client.get(reverse("article_detail", kwargs={"pk": with_errors.pk}))
    assert ("报送时仍有 <strong>1 处校对错误</strong>未修改（已说明理由），确认仍要采用"
            in page.content.decode())
    assert 'name="open_errors_confirmed" value="1" required' in page.content.decode()

    refused = _step(client, with_errors, "accept").content.decode()
    assert "该稿件报送时仍有 1 处校对错误未修改：请勾选确认后再采用" in refused
    assert Article.objects.get(pk=with_errors.pk).state == State.SUBMITTED

    _step(client, with_errors, "accept", open_errors_confirmed="1")
    article = Article.objects.get(pk=with_errors.pk)
    assert article.state == State.ACCEPTED
    assert AuditEntry.objects.get(action="article.accept").changes["open_errors"] == 1

    page = client.get(reverse("article_detail", kwargs={"pk": article.pk})).content.decode()
    assert "确认仍要推荐至民政部" in page
    refused = _step(client, article, "recommend").content.decode()
    assert "请勾选确认后再推荐至民政部" in refused
    assert not Article.objects.get(pk=article.pk).is_recommended
    _step(client, article, "recommend", open_errors_confirmed="1")
    assert Article.objects.get(pk=article.pk).is_recommended


def test_a_brief_without_open_errors_is_accepted_without_asking(submitted, personas,
                                                                 as_user):
    client = as_user(personas["reviewer"])
    page = client.get(reverse("article_detail", kwargs={"pk": submitted.pk})).content.decode()
    assert "open_errors_confirmed" not in page
    _step(client, submitted, "accept")
    assert Article.objects.get(pk=submitted.pk).state == State.ACCEPTED
