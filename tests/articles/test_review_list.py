"""What reviewers look for: search, unit and date filters, the list as Excel, the WeChat
layout as an .html file."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Channel
from campaigndesk.audit import labels
from campaigndesk.audit.models import AuditEntry
from campaigndesk.units.models import User

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def _brief(code: str, title: str, body: str, when: datetime):
    reporter = User.objects.get(username=code)
    article = services.create_article(reporter, campaign=_brief.campaign, unit=reporter.unit,
                                      title=title, body=body, time_text="3月18日",
                                      place_text="社工站", recipients_text="居民",
                                      participants_text="社工")
    with time_machine.travel(when, tick=False):
        services.submit_article(reporter, article, justification="短稿，按原文报送")
    return article


@pytest.fixture
def briefs(demo, personas):
    """Four briefs of three units, sent on four days (one just after midnight in Beijing)."""
    demo.min_photos = 0  # photos are not what this file is about
    demo.save(update_fields=["min_photos"])
    _brief.campaign = demo
    made = {
        "elderly": _brief("150100", "赛罕区开展社会工作主题宣传活动",
                          "社工为辖区老年人开展敬老服务。",
                          datetime(2022, 3, 20, 10, tzinfo=BEIJING)),
        "youth": _brief("150100", "青少年社会工作服务走进校园", "社工开展青少年成长小组。",
                        datetime(2022, 3, 22, 9, tzinfo=BEIJING)),
        "baotou": _brief("150200", "包头市敬老月社工服务", "社工进社区宣传。",
                         datetime(2022, 3, 25, 0, 30, tzinfo=BEIJING)),
        "formula": _brief("150300", "=HYPERLINK(\"http://example.org\",\"点我\")",
                          "乌海市社工宣传。", datetime(2022, 3, 23, 15, tzinfo=BEIJING)),
    }
    reviewer = personas["reviewer"]
    services.accept_article(reviewer, made["baotou"])
    services.select_typical(reviewer, made["baotou"])
    services.publish_article(reviewer, made["baotou"], Channel.WEBSITE,
                             datetime(2022, 3, 26).date())
    services.recommend_to_ministry(reviewer, made["baotou"])
    return made


def titles(client, demo, **params) -> list[str]:
    html = client.get(reverse("campaign_articles", kwargs={"pk": demo.pk}), params)
    table = html.content.decode().split('id="review-queue"')[1].split("</table>")[0]
    return re.findall(r'<a href="/articles/\d+/">([^<]+)</a>', table)


def test_search_looks_in_titles_and_bodies(briefs, demo, personas, as_user):
    client = as_user(personas["reviewer"])
    # 敬老 is in the body of the first brief and in the title of 包头市's.
    assert sorted(titles(client, demo, q="敬老")) == ["包头市敬老月社工服务",
                                                     "赛罕区开展社会工作主题宣传活动"]
    assert titles(client, demo, q="  青少年   ") == ["青少年社会工作服务走进校园"]
    assert titles(client, demo, q="没有这个词") == []
    assert len(titles(client, demo)) == 4


def test_unit_and_date_filters(briefs, demo, personas, as_user):
    client = as_user(personas["reviewer"])
    assert sorted(titles(client, demo, unit="150100")) == [
        "赛罕区开展社会工作主题宣传活动", "青少年社会工作服务走进校园"]
    # 00:30 on the 25th in Beijing is the 24th in UTC: it belongs to the 25th.
    assert titles(client, demo, **{"from": "2022-03-25", "to": "2022-03-25"}) == [
        "包头市敬老月社工服务"]
    assert titles(client, demo, **{"to": "2022-03-24", "unit": "150200"}) == []
    # Dates the wrong way round are taken as meant; a date that is not one is ignored.
    assert len(titles(client, demo, **{"from": "2022-03-23", "to": "2022-03-21"})) == 2
    assert len(titles(client, demo, **{"from": "3月21日"})) == 4


def test_export_is_the_filtered_list_with_states_dates_and_channels(briefs, demo, personas,
                                                                     as_user):
    client = as_user(personas["reviewer"])
    page = client.get(reverse("campaign_articles", kwargs={"pk": demo.pk}),
                      {"q": "敬老", "state": ""}).content.decode()
    link = re.search(r'id="export-list" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "q=%E6%95%AC%E8%80%81" in link
    response = client.get(link)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    header, lines = rows[0], rows[1:]
    assert header[:8] == ["序号", "单位", "标题", "状态", "首次报送", "采用", "典型案例",
                          "推荐至民政部"]
    assert "厅门户网站" in header
    assert [line[1] for line in lines] == ["呼和浩特市", "包头市"]
    baotou = dict(zip(header, lines[1], strict=True))
    assert baotou["状态"] == "已发布" and baotou["首次报送"] == "2022-03-25 00:30"
    assert baotou["典型案例"] not in {"否", None} and baotou["推荐至民政部"] not in {"否", None}
    assert baotou["厅门户网站"] == "2022-03-26"
    assert dict(zip(header, lines[0], strict=True))["典型案例"] == "否"
    assert "标题或正文含“敬老”" in sheet["A2"].value
    entry = AuditEntry.objects.get(action="article.list_export")
    assert entry.changes == {"articles": 2} and "敬老" in entry.message
    assert labels.action_label(entry.action) == "导出稿件列表（Excel）"


def test_a_title_like_a_formula_stays_text(briefs, demo, personas, as_user):
    response = as_user(personas["reviewer"]).get(
        reverse("campaign_articles_xlsx", kwargs={"pk": demo.pk}), {"unit": "150300"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet["C5"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_reporters_cannot_export_the_list(briefs, demo, personas, as_user):
    url = reverse("campaign_articles_xlsx", kwargs={"pk": demo.pk})
    assert as_user(personas["reporter"]).get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="article.list_export").exists()


def test_wechat_layout_downloads_as_a_whole_html_page(accepted, personas, as_user):
    client = as_user(personas["reviewer"])
    url = reverse("article_wechat", kwargs={"pk": accepted.pk})
    page = client.get(url).content.decode()
    assert 'id="wechat-download" href="?download=html"' in page
    response = client.get(url, {"download": "html"})
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert ".html" in response["Content-Disposition"]
    html = response.content.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert f"<title>{accepted.title}</title>" in html
    assert html.count("<img") == 2 and "<script" not in html
    entry = AuditEntry.objects.get(action="article.wechat_download")
    assert entry.object_id == str(accepted.pk)
    assert labels.action_label(entry.action) == "下载微信公众号排版"
    assert as_user(personas["other_reporter"]).get(url, {"download": "html"}).status_code in {
        403, 404}
