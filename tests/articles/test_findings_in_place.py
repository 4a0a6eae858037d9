"""Outsider 14, points 1–6: where each finding is (标题 / 第N段), one line per repeated
place hint, the submitted findings placed in the reviewer's text, the review list's
校对错误 column, the save message with its counts, 把握 and 评分 explained, and a body far
below the minimum as an error."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Article, State

from .conftest import BODY

pytestmark = pytest.mark.django_db

# 接诉既办 (for 接诉即办) in the title and in the body; 阿拉善左旗 is outside 呼和浩特市.
TITLE = "赛罕区推进接诉既办 服务群众"
TYPO_BODY = (BODY + "\n社区依托“接诉既办”机制，累计收集居民诉求85件。阿拉善左旗社工到场交流，"
             "阿拉善左旗民政局介绍经验，阿拉善左旗的志愿者也参加了。")
OUTSIDE = "地点“阿拉善左旗”不在报送单位的辖区内，请核实。"


def _check(client, article, title=TITLE, body=TYPO_BODY) -> str:
    return client.post(reverse("article_check", kwargs={"pk": article.pk}),
                       {"title": title, "body": body}, HTTP_HX_REQUEST="true").content.decode()


def _lines(page: str) -> list[str]:
    return re.findall(r"<li data-finding=\"\d+\">(.*?)</li>", page, re.S)


def test_a_title_finding_says_标题_and_is_marked_in_the_title(draft, personas, as_user):
    page = _check(as_user(personas["reporter"]), draft)
    title = page.split('id="preview-title"')[1].split("</div>")[0]
    assert re.search(r'<mark class="finding finding-error" tabindex="0" title="[^"]*接诉即办'
                     r'[^"]*" id="finding-\d+">接诉既办</mark>', title)
    typo = [line for line in _lines(page) if "“接诉既办”" in line and "应为" in line]
    assert len(typo) == 2
    assert re.search(r'<span class="where"><a href="#finding-\d+">标题</a></span>', typo[0])
    assert re.search(r'<span class="where"><a href="#finding-\d+">第4段</a></span>', typo[1])
    # Each line's link leads to a mark of its own field.
    for line in typo:
        anchor = re.search(r'href="#(finding-\d+)"', line).group(1)
        assert page.count(f'id="{anchor}"') == 1
    assert page.index(re.search(r'href="#(finding-\d+)"', typo[0]).group(1)) < page.index(
        "</div>", page.index('id="preview-title"'))


def test_a_place_outside_the_unit_is_one_line_with_its_count(draft, personas, as_user):
    page = _check(as_user(personas["reporter"]), draft)
    outside = [line for line in _lines(page) if OUTSIDE in line]
    assert len(outside) == 1
    assert "（共 3 处）" in outside[0]
    # The paragraph once, linking to the first mention; every mention is still marked.
    places = re.findall(r'<a href="#(finding-\d+)">(第\d+段)</a>', outside[0])
    assert [label for _a, label in places] == ["第4段"]
    marks = re.findall(r'id="(finding-\d+)">阿拉善左旗</mark>', page)
    assert len(marks) == 3 and places[0][0] == marks[0]
    # The count at the top is still of places, not lines.
    assert "提示 3" in page


def test_a_missing_element_is_about_the_whole_brief(draft, personas, as_user):
    page = _check(as_user(personas["reporter"]), draft, title="社工站开展活动",
                  body="敖登格日乐是社工的名字。")
    missing = [line for line in _lines(page) if "缺少要素：未写明时间" in line]
    assert missing and '<span class="where">全文</span>' in missing[0]
    title = page.split('id="preview-title"')[1].split("</div>")[0]
    assert "<mark" not in title  # a missing element has no words to mark


def test_the_reviewer_sees_the_submitted_findings_in_the_text(draft, personas, as_user):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, title=TITLE, body=TYPO_BODY)
    services.submit_article(reporter, Article.objects.get(pk=draft.pk),
                            justification="接诉既办按原文")
    page = as_user(personas["reviewer"]).get(
        reverse("article_detail", kwargs={"pk": draft.pk})).content.decode()
    h1 = page.split('id="review-title"')[1].split("</h1>")[0]
    title_mark = re.search(r'id="(finding-\d+)">接诉既办</mark>', h1).group(1)
    body = page.split('id="review-body"')[1].split("</div>")[0]
    body_marks = re.findall(r'id="(finding-\d+)">(接诉既办|阿拉善左旗)</mark>', body)
    assert [text for _a, text in body_marks] == ["接诉既办"] + ["阿拉善左旗"] * 3
    listed = page.split('id="version-findings"')[1].split("</details>")[0]
    assert f'<a href="#{title_mark}">标题</a>' in listed
    assert f'href="#{body_marks[0][0]}"' in listed and f'href="#{body_marks[1][0]}"' in listed
    assert listed.count(OUTSIDE) == 1 and "（共 3 处）" in listed
    assert "改为" not in listed  # the reviewer reads; only the writer gets buttons
    assert "把握" in listed and "越接近 0 越通顺" in listed


def test_a_comment_over_a_finding_keeps_the_link_working(draft, personas, as_user):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, title=TITLE, body=TYPO_BODY)
    services.submit_article(reporter, Article.objects.get(pk=draft.pk),
                            justification="接诉既办按原文")
    article = Article.objects.get(pk=draft.pk)
    start = article.body.index("“接诉既办”机制")
    comment = services.add_comment(personas["reviewer"], article, start=start,
                                   end=start + 8, quote="“接诉既办”机制", text="请改为接诉即办")
    page = as_user(personas["reviewer"]).get(
        reverse("article_detail", kwargs={"pk": draft.pk})).content.decode()
    body = page.split('id="review-body"')[1].split("</div>")[0]
    assert f'id="comment-{comment.pk}">“接诉既办”机制</mark>' in body
    listed = page.split('id="version-findings"')[1].split("</details>")[0]
    assert f'<a href="#comment-{comment.pk}">第4段</a>' in listed


def test_the_review_list_shows_open_errors_and_the_explanation(draft, personas, as_user,
                                                              demo):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, title=TITLE, body=TYPO_BODY)
    services.submit_article(reporter, Article.objects.get(pk=draft.pk),
                            justification="接诉既办是原话")
    client = as_user(personas["reviewer"])
    page = client.get(reverse("campaign_articles", kwargs={"pk": demo.pk})).content.decode()
    table = page.split('id="review-queue"')[1].split("</table>")[0]
    assert "<th>校对错误</th>" in table
    cell = re.search(r'<td class="open-errors"[^>]*>(.*?)</td>', table, re.S)
    assert 'title="接诉既办是原话"' in cell.group(0)
    assert re.sub(r"<[^>]+>", "", cell.group(1)).strip() == "2 处 已说明"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        reverse("campaign_articles_xlsx", kwargs={"pk": demo.pk})).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["校对错误（处）"] == "2" and line["未修改问题的说明"] == "接诉既办是原话"


def test_saving_says_the_counts_and_links_to_the_findings(draft, personas, as_user):
    from tests.formpost import form_submission, submit

    client = as_user(personas["reporter"])
    url = reverse("article_edit", kwargs={"pk": draft.pk})
    sent = form_submission(client.get(url).content.decode(), url, form="article-form")
    sent.data = [(k, {"title": TITLE, "body": TYPO_BODY}.get(k, v)) for k, v in sent.data]
    page = submit(client, sent, follow=True).content.decode()
    assert ('草稿已保存；校对：2 处错误、3 处提示 <a href="#findings" class="jump">查看校对结果'
            '</a>') in page
    assert 'id="findings"' in page


def test_the_writing_page_explains_把握_and_评分(draft, personas, as_user):
    client = as_user(personas["reporter"])
    page = client.get(reverse("article_edit", kwargs={"pk": draft.pk})).content.decode()
    legend = page.split('id="findings-legend"')[1].split("</p>")[0]
    for words in ("须修改", "可以不改", "把握", "有多确定", "语言模型评分", "越接近 0 越通顺"):
        assert words in legend
    help_page = client.get(reverse("help_reporter")).content.decode()
    assert "程序有多确定" in help_page and "越接近 0）越通顺" in help_page


def test_a_body_far_below_the_minimum_needs_a_change_or_a_reason(draft, personas, as_user):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, title="社工站开展助老服务",
                          body="敖登格日乐是社工的名字，不是错别字",
                          time_text="3月21日", place_text="社工站", recipients_text="老人",
                          participants_text="社工")
    article = Article.objects.get(pk=draft.pk)
    page = _check(as_user(reporter), article, title=article.title, body=article.body)
    line = next(line for line in _lines(page) if "正文17字" in line)
    assert '<span class="sev sev-error">错误</span>' in line
    assert "不到下限的三分之一" in line
    with pytest.raises(services.TransitionRefused, match="处错误尚未修改"):
        services.submit_article(reporter, article)
    services.submit_article(reporter, article, justification="简讯，按要求只报一句")
    assert Article.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_a_short_body_above_a_third_stays_a_hint(draft, personas, as_user, demo):
    client = as_user(personas["reporter"])
    body = BODY[:130]  # over 350 / 3 characters, under 350
    page = _check(client, draft, title="赛罕区开展社会工作主题宣传活动", body=body)
    line = next(line for line in _lines(page) if "少于350字" in line)
    assert '<span class="sev sev-warning">提示</span>' in line
    assert "三分之一" not in line
