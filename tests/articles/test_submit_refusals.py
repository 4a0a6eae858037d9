"""The second outside walk (14b) at submission: an element field the body no longer
matches is an error naming it; a refused explanation names its own field and nothing typed
is lost; a refused control character is not written back into the page."""

import pytest
from django.urls import reverse

from campaigndesk.articles.models import Article, State

from .conftest import BODY, TITLE

pytestmark = pytest.mark.django_db

# The reporter moved the activity to another day and district after the fields were filled.
MOVED = BODY.replace("3月18日", "3月27日").replace("赛罕区", "新城区")
MOVED_TITLE = TITLE.replace("赛罕区", "新城区")


def _form(article, **fields) -> dict:
    """What the writing form sends: the stored fields unless changed, the box ticked."""
    data = {"title": article.title, "body": article.body, "activity": "",
            "version": article.version, "confirm": "on", "justification": ""}
    data.update({name: getattr(article, name) for name in
                 ("time_text", "place_text", "recipients_text", "participants_text")})
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _submit(client, article, **fields):
    return client.post(reverse("article_submit", kwargs={"pk": article.pk}),
                       _form(article, **fields), follow=True)


def test_elements_the_body_no_longer_holds_block_submission_naming_them(draft, personas,
                                                                         as_user):
    assert (draft.time_text, draft.place_text.split("、")[0]) == ("3月18日上午", "赛罕区")
    client = as_user(personas["reporter"])
    html = _submit(client, draft, title=MOVED_TITLE, body=MOVED).content.decode()
    assert "四要素“时间”填写的“3月18日上午”在正文中找不到，请核对" in html
    assert "四要素“地点”填写的“赛罕区”在正文中找不到，请核对" in html
    article = Article.objects.get(pk=draft.pk)
    assert article.state == State.DRAFT and "3月27日" in article.body

    # The writing page's live check says it as the fields are typed.
    check = client.post(reverse("article_check", kwargs={"pk": draft.pk}),
                        _form(article, place_text="新城区、敕勒川路街道"))
    found = check.content.decode()
    assert "四要素“时间”填写的“3月18日上午”" in found and "四要素“地点”" not in found

    # Explained, it goes through, and the reviewer reads it with the explanation.
    _submit(client, article, justification="时间按通知改为3月27日，四要素稍后更正")
    article = Article.objects.get(pk=draft.pk)
    assert article.state == State.SUBMITTED
    review = as_user(personas["reviewer"]).get(reverse("article_detail",
                                                       kwargs={"pk": draft.pk}))
    assert "四要素“时间”填写的“3月18日上午”在正文中找不到，请核对" in review.content.decode()


def test_corrected_elements_submit_without_an_explanation(draft, personas, as_user):
    client = as_user(personas["reporter"])
    _submit(client, draft, title=MOVED_TITLE, body=MOVED, time_text="3月27日上午",
            place_text="新城区、呼和浩特市、敕勒川路街道",
            participants_text="呼和浩特市新城区民政局、12名社工、8名社区志愿者")
    article = Article.objects.get(pk=draft.pk)
    assert article.state == State.SUBMITTED
    assert not article.latest_version().open_errors


def test_a_control_character_in_the_explanation_is_named_and_nothing_is_lost(
        draft, personas, as_user):
    client = as_user(personas["reporter"])
    response = _submit(client, draft, body=BODY + "\n补记。",
                       justification="原文\x1b引用，不作修改")
    html = response.content.decode()
    assert response.status_code == 400
    assert "“未修改问题的说明”第 3 个字处有不可显示的控制字符 ESC（转义符，U+001B）" in html
    assert "请勾选" not in html
    # The explanation without the refused character, the box still ticked, the body as typed.
    assert ">原文引用，不作修改</textarea>" in html
    assert 'id="id_confirm" form="article-form" checked' in html
    assert "补记。" in html
    article = Article.objects.get(pk=draft.pk)
    assert article.state == State.DRAFT and "补记" not in article.body


def test_a_refused_title_keeps_the_explanation_and_the_box(draft, personas, as_user):
    client = as_user(personas["reporter"])
    response = _submit(client, draft, title="", justification="原文引用，不作修改")
    html = response.content.decode()
    assert response.status_code == 400
    assert ">原文引用，不作修改</textarea>" in html
    assert 'id="id_confirm" form="article-form" checked' in html
    assert Article.objects.get(pk=draft.pk).state == State.DRAFT


def test_an_unticked_box_is_said_and_the_explanation_kept(draft, personas, as_user):
    client = as_user(personas["reporter"])
    html = _submit(client, draft, confirm=None, justification="原文引用").content.decode()
    assert "请勾选“我已核对四要素”后再报送" in html
    assert ">原文引用</textarea>" in html


def test_each_control_character_is_named_and_a_nul_is_not_written_back(demo, personas,
                                                                       as_user):
    url = reverse("campaign_article_create", kwargs={"campaign_pk": demo.pk,
                                                     "code": "150100"})
    response = as_user(personas["reporter"]).post(
        url, {"title": TITLE, "body": BODY, "time_text": "3月18日\x00上\x0b午\x1b"})
    html = response.content.decode()
    assert ("“时间”第 6 个字处起有 3 个不可显示的字符：空字符（NUL，U+0000）、"
            "控制字符 VT（垂直制表符，U+000B）、控制字符 ESC（转义符，U+001B）") in html
    assert "共 2 个" not in html and "已从该栏删除" in html
    # The browser turned a NUL written into the page into "�", which was then saved.
    assert 'value="3月18日上午"' in html and "\x00" not in html
    assert not Article.objects.exists()
