"""What reviewers look for: search a word of a brief's body, filter by unit and date, take
the list away as Excel, the WeChat layout as an .html file, all summaries as one .zip."""

import io
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.jobs.servers import Worker

from .test_login_pages import log_in

pytestmark = pytest.mark.browser
BEIJING = ZoneInfo("Asia/Shanghai")


def _word_only_in(article, others) -> str:
    """Four characters of the brief's body found in no other brief's title or body."""
    text = article.body
    for start in range(len(text) - 4):
        word = text[start:start + 4]
        if word.strip() == word and all(word not in o.title + o.body for o in others):
            return word
    raise AssertionError("no distinctive word")


def test_reviewer_searches_filters_and_takes_the_list_away(browser_context_for, demo_site,
                                                            samples, screenshot, tmp_path):
    from campaigndesk.articles.models import Article

    briefs = list(Article.objects.live().filter(campaign=samples).exclude(state="draft"))
    target = briefs[0]
    word = _word_only_in(target, briefs[1:])
    page = browser_context_for()
    log_in(page, demo_site, "reviewer")
    page.goto(f"{demo_site.url}/campaigns/{samples.pk}/articles/")
    rows = page.locator("#review-queue tbody tr")
    expect(rows).to_have_count(len(briefs))

    page.get_by_label("标题或正文").fill(word)
    page.locator("#review-filters").get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(target.title)

    page.get_by_label("标题或正文").fill("")
    page.get_by_label("单位", exact=True).select_option(label=target.unit.name)
    day = target.submitted_at.astimezone(BEIJING).date().isoformat()
    page.get_by_label("首次报送自").fill(day)
    page.get_by_label("至", exact=True).fill(day)
    page.locator("#review-filters").get_by_role("button", name="筛选").click()
    expected = sorted(a.title for a in briefs if a.unit_id == target.unit_id
                      and a.submitted_at.astimezone(BEIJING).date().isoformat() == day)
    expect(rows).to_have_count(len(expected))
    screenshot(page, "review-list-filtered", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出列表（Excel）").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    titles = sorted(row[2] for row in sheet.iter_rows(min_row=5, values_only=True))
    assert titles == expected
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{demo_site.url}/articles/{target.pk}/wechat/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 HTML 文件").click()
    html = download.value.path().read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".html")
    assert html.startswith("<!DOCTYPE html>") and target.title in html

    page.goto(f"{demo_site.url}/campaigns/{samples.pk}/summaries/")
    worker = Worker("", tmp_path / "worker.log")  # the .zip is made by the job worker
    try:
        page.get_by_role("button", name="生成全部单位总结（zip）").click()
        expect(page.locator("#job-status")).to_contain_text("已完成", timeout=60_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="下载 ").click()
    finally:
        assert worker.stop() == 0
    archive = zipfile.ZipFile(download.value.path())
    assert "00-报送情况.xlsx" in archive.namelist()
