"""Issue 13 point 5 in the product: the campaign's bounds reach the writing page, and the
campaign form keeps them in order."""

import pytest
from django.urls import reverse

from campaigndesk.campaigns.models import Campaign
from campaigndesk.proofing.text import count_chars

from .conftest import BODY, TITLE

pytestmark = pytest.mark.django_db


def test_writing_page_counts_like_word_against_the_campaigns_bounds(draft, personas, as_user,
                                                                   demo):
    client = as_user(personas["reporter"])
    edit = client.get(reverse("article_edit", kwargs={"pk": draft.pk})).content.decode()
    n = count_chars(BODY)
    assert f'已写 <strong data-count-for="id_body">{n}</strong> 字' in edit
    assert "要求约500字（350～700字）" in edit
    Campaign.objects.filter(pk=demo.pk).update(brief_min_length=n + 100, brief_length=n + 200,
                                               brief_max_length=n + 300)
    check = client.post(reverse("article_check", kwargs={"pk": draft.pk}),
                        {"title": TITLE, "body": BODY}, HTTP_HX_REQUEST="true").content.decode()
    assert f"正文 {n} 字" in check
    assert (f"正文{n}字（不计空格），少于{n + 100}字；本次活动要求约{n + 200}字"
            f"（{n + 100}～{n + 300}字）。") in check
    assert "未发现问题" not in check


def test_campaign_form_refuses_bounds_out_of_order(personas, as_user, demo):
    from tests.formpost import form_submission, submit  # the form as the page renders it

    client = as_user(personas["region_admin"])
    url = reverse("campaign_edit", kwargs={"pk": demo.pk})
    sent = form_submission(client.get(url).content.decode(), url)
    changed = {"brief_min_length": "600", "brief_length": "500", "brief_max_length": "700"}
    sent.data = [(k, changed.get(k, v)) for k, v in sent.data]
    page = submit(client, sent).content.decode()
    assert "下限 ≤ 字数要求 ≤ 上限" in page
    assert Campaign.objects.get(pk=demo.pk).brief_min_length == 350
