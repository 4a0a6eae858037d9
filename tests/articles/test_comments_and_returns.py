"""Issue 13 points 1 and 3 on the server: a span comment lands on the words selected (line
breaks, full-width spaces, characters outside the BMP), follows the text into later
versions or says 原文已修改, and the reason for a return is where the reporter works."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Article, ArticleVersion, Notice, ReviewComment, State
from campaigndesk.audit.models import AuditEntry

from .conftest import BODY, TITLE

pytestmark = pytest.mark.django_db

# Three paragraphs, a full-width indent, an emoji and a CJK Ext-B character (𠀀, U+20000)
# before the words a reviewer selects in the third paragraph.
MIXED = (BODY.split("\n")[0] + "\n　　社工还带来了笑脸贴纸😊和𠀀字卡片。\n"
         "3月19日，社区开展核算检测志愿服务，社工协助登记。\n" + BODY.split("\n")[2])


def fresh(article):
    return Article.objects.get(pk=article.pk)


def save_and_submit(client, article, body):
    """What the reporter's browser sends: the textarea with CRLF line breaks."""
    data = {"title": TITLE, "body": body.replace("\n", "\r\n"), "confirm": "on",
            "version": fresh(article).version, "time_text": "3月18日", "place_text": "赛罕区",
            "recipients_text": "老年人", "participants_text": "社工"}
    response = client.post(reverse("article_submit", kwargs={"pk": article.pk}), data)
    assert response.status_code == 302


def comment(client, article, words, text="请核实", occurrence=0):
    """What the reviewer's browser sends for a selection of `words`: code-point offsets into
    the text as the page shows it, and the words themselves."""
    body = fresh(article).latest_version().body
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(words, start + 1)
    return client.post(reverse("article_comment", kwargs={"pk": article.pk}),
                       {"start": start, "end": start + len(words), "quote": words,
                        "text": text}, follow=True)


def test_crlf_from_the_form_is_kept_as_lf_and_the_comment_lands_on_its_words(
        draft, personas, as_user):
    save_and_submit(as_user(personas["reporter"]), draft, MIXED)
    version = fresh(draft).latest_version()
    assert "\r" not in version.body and version.body == MIXED
    comment(as_user(personas["reviewer"]), draft, "核算检测")
    saved = ReviewComment.objects.get()
    assert saved.quote == "核算检测"
    assert version.body[saved.start:saved.end] == "核算检测"
    page = as_user(personas["reviewer"]).get(reverse("article_detail", kwargs={"pk": draft.pk}))
    assert f'id="comment-{saved.pk}">核算检测</mark>' in page.content.decode()


def test_offsets_that_miss_the_quote_land_on_the_quote_or_are_refused(submitted, personas,
                                                                      as_user):
    client = as_user(personas["reviewer"])
    body = fresh(submitted).latest_version().body
    at = body.index("血压测量")
    # Offsets one character early per line break, as the old page sent them.
    client.post(reverse("article_comment", kwargs={"pk": submitted.pk}),
                {"start": at - 2, "end": at + 2, "quote": "血压测量", "text": "人数？"})
    assert ReviewComment.objects.get().quote == "血压测量"
    response = client.post(reverse("article_comment", kwargs={"pk": submitted.pk}),
                           {"start": at, "end": at + 4, "quote": "不在正文的字", "text": "?"},
                           follow=True)
    assert "不在第1版正文中" in response.content.decode()
    assert ReviewComment.objects.count() == 1


def test_comments_follow_the_text_into_the_next_version(submitted, personas, as_user):
    reviewer, reporter = personas["reviewer"], personas["reporter"]
    kept = services.add_comment(reviewer, submitted, start=BODY.index("血压测量"),
                                end=BODY.index("血压测量") + 4, text="写明人数",
                                quote="血压测量")
    gone = services.add_comment(reviewer, submitted, start=BODY.index("心理疏导"),
                                end=BODY.index("心理疏导") + 4, text="谁做的？",
                                quote="心理疏导")
    services.return_article(reviewer, submitted, reason="请补充服务人数")
    # v2 adds words before both spans and rewrites one of them.
    new_body = "3月18日上午，" + BODY[len("3月18日上午，"):].replace(
        "血压测量", "为60名老人血压测量").replace("心理疏导", "心理咨询")
    services.update_draft(reporter, submitted, body="（通讯员 王芳）\n" + new_body)
    services.resubmit_article(reporter, submitted)
    html = as_user(reviewer).get(reverse("article_detail", kwargs={"pk": submitted.pk})
                                 ).content.decode()
    assert f'id="comment-{kept.pk}">血压测量</mark>' in html
    assert f'id="comment-{gone.pk}"' not in html
    assert "“心理疏导” <span class=\"tag\">原文已修改</span>" in html


def test_a_comment_on_a_repeated_word_stays_on_its_copy_and_goes_when_it_is_deleted(
        draft, personas, as_user):
    # 社区 twice in a paragraph: the comment on the second copy moved to the first when the
    # reporter typed a byline at the top, and when the reporter deleted the commented copy
    # (as asked), it was shown on the other one as if still current.
    reporter, reviewer = personas["reporter"], personas["reviewer"]
    body = BODY + "\n　　活动联动社区、社会组织、社区志愿者和社会慈善资源。"
    save_and_submit(as_user(reporter), draft, body)
    second = body.index("社区志愿者")
    note = services.add_comment(reviewer, draft, start=second, end=second + 2,
                                text="删去", quote="社区")
    services.return_article(reviewer, draft, reason="按意见修改")
    moved = "【通讯员 王小明】\n" + body
    services.update_draft(reporter, fresh(draft), body=moved)
    edit = as_user(reporter).get(reverse("article_edit", kwargs={"pk": draft.pk}))
    (anchored,) = edit.context["comments"]
    assert (anchored.start, moved[anchored.start:anchored.start + 5]) == (
        moved.index("社区志愿者"), "社区志愿者")
    deleted = moved.replace("社区志愿者", "志愿者")
    services.update_draft(reporter, fresh(draft), body=deleted)
    edit = as_user(reporter).get(reverse("article_edit", kwargs={"pk": draft.pk}))
    (anchored,) = edit.context["comments"]
    assert not anchored.found and note.quote == "社区"
    assert "原文已修改" in edit.content.decode()


def test_return_reason_is_on_the_brief_page_and_above_the_text_when_editing(
        submitted, personas, as_user):
    reviewer, reporter = personas["reviewer"], personas["reporter"]
    services.add_comment(reviewer, submitted, start=BODY.index("血压测量"),
                         end=BODY.index("血压测量") + 4, text="写明人数", quote="血压测量")
    services.return_article(reviewer, submitted, reason="请补充服务人数和活动成效")
    version = fresh(submitted).latest_version()
    assert (version.return_reason, version.returned_by) == ("请补充服务人数和活动成效", reviewer)
    client = as_user(reporter)
    detail = client.get(reverse("article_detail", kwargs={"pk": submitted.pk})).content.decode()
    assert 'id="return-note"' in detail and "请补充服务人数和活动成效" in detail
    edit = client.get(reverse("article_edit", kwargs={"pk": submitted.pk})).content.decode()
    note, comments, form = (edit.index("请补充服务人数和活动成效"), edit.index("写明人数"),
                            edit.index('id="article-form"'))
    assert note < form and comments < form
    # Once resubmitted the reason is history, no longer a task; the reviewer still reads
    # what was asked.
    services.resubmit_article(reporter, submitted)
    detail = as_user(reviewer).get(reverse("article_detail", kwargs={"pk": submitted.pk})
                                   ).content.decode()
    assert 'id="return-note"' not in detail
    history = detail[detail.index("此前的退回修改意见"):]
    assert "第1版：请补充服务人数和活动成效" in history


def test_unread_count_in_the_top_bar_and_reading_a_notice(submitted, personas, as_user):
    reporter = personas["reporter"]
    services.return_article(personas["reviewer"], submitted, reason="请补充服务人数")
    client = as_user(reporter)
    unread = Notice.objects.for_user(reporter).unread().count()
    assert unread >= 2  # 已报送 and 被退回修改
    page = client.get(reverse("unit_articles", kwargs={"code": "150100"}),
                      follow=True).content.decode()
    assert f'title="未读通知">{unread}</span>' in page
    notice = Notice.objects.filter(unit=reporter.unit, text__contains="退回修改").get()
    response = client.get(reverse("notice_open", kwargs={"pk": notice.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("article_detail", kwargs={"pk": submitted.pk})
    assert Notice.objects.for_user(reporter).unread().count() == unread - 1
    # Another unit's reporter cannot open (or mark) it.
    other = as_user(personas["other_reporter"])
    assert other.get(reverse("notice_open", kwargs={"pk": notice.pk})).status_code == 404


def test_reporter_home_lists_returned_briefs_and_unread_reminders(submitted, personas,
                                                                   as_user):
    services.return_article(personas["reviewer"], submitted, reason="请补充服务人数")
    Notice.objects.create(unit=personas["reporter"].unit, text="第二次进展报送将于明天截止",
                          link="/")
    page = as_user(personas["reporter"]).get(reverse("unit_home", kwargs={"code": "150100"}),
                                             follow=True)
    html = page.content.decode()
    todo = html[html.index('id="todo"'):html.index("报送节点")]
    assert TITLE in todo and "退回修改意见：请补充服务人数" in todo
    assert reverse("article_edit", kwargs={"pk": submitted.pk}) in todo
    assert "第二次进展报送将于明天截止" in todo
    # The department sees the unit's returned briefs there, not anyone's notices.
    Notice.objects.create(user=personas["region_admin"], text="管理员自己的通知")
    page = as_user(personas["region_admin"]).get(reverse("unit_home",
                                                         kwargs={"code": "150100"}),
                                                 follow=True)
    todo = page.content.decode()
    assert "退回修改意见：请补充服务人数" in todo and "管理员自己的通知" not in todo
    assert "第二次进展报送将于明天截止" not in todo


def test_migration_makes_old_texts_canonical_and_finds_old_reasons(submitted, personas):
    """Briefs saved with CRLF before the forms kept LF: the browser's offsets were right for
    the text as shown; the migration makes the stored text match, and the reason of an old
    return is read back from the audit log."""
    version = fresh(submitted).latest_version()
    crlf = version.body.replace("\n", "\r\n")
    ArticleVersion.objects.filter(pk=version.pk).update(body=crlf)
    at = version.body.index("服务台账")  # where the browser saw the words (2nd paragraph)
    ReviewComment.objects.create(article=submitted, version=version, start=at, end=at + 4,
                                 quote=crlf[at:at + 4], text="人数？",
                                 author=personas["reviewer"])
    assert crlf[at:at + 4] != "服务台账"  # the bug: saved on other words
    article = fresh(submitted)
    Article.objects.filter(pk=article.pk).update(state=State.RETURNED)
    AuditEntry.objects.create(actor=personas["reviewer"], actor_username="reviewer",
                              action="article.return", object_type="articles.article",
                              object_id=str(article.pk), message="旧的退回意见")
    migration = importlib.import_module("campaigndesk.articles.migrations.0004_canonical_text")
    migration.forwards(django_apps, None)
    version.refresh_from_db()
    assert version.body == BODY and version.return_reason == "旧的退回意见"
    assert ReviewComment.objects.get().quote == "服务台账"


def test_the_first_paragraph_keeps_its_full_width_indent(draft, personas, as_user):
    body = "　　3月18日，赛罕区开展活动。\n　　社工为老人测量血压。"
    save_and_submit(as_user(personas["reporter"]), draft, "\n" + body + "\n　\n")
    assert fresh(draft).body == body
