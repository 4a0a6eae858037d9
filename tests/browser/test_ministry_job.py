"""The package for 民政部 as a background job in a real browser, with a real worker process:
the reviewer presses 生成推荐至民政部材料包（zip） under the review list (1366×768), the job's
page ends in the .zip's download, which on a 390 px phone fits and downloads."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.test_articles_flow import log_in
from tests.jobs.servers import Worker

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_ministry_package_is_made_in_the_background_and_offered(
        demo_site, samples, browser_context_for, screenshot, tmp_path):
    page = browser_context_for()
    log_in(page, demo_site, "reviewer")
    page.goto(f"{demo_site.url}/campaigns/{samples.pk}/articles/")
    button = page.get_by_role("button", name="生成推荐至民政部材料包（zip）")
    button.scroll_into_view_if_needed()
    screenshot(page, "ministry-button-1366")
    worker = Worker("", tmp_path / "worker.log")
    try:
        button.click()
        expect(page.locator("h1")).to_have_text("推荐至民政部材料包（zip）")
        status = page.locator("#job-status")
        expect(status).to_contain_text("已完成", timeout=90_000)
        expect(status.locator("progress")).to_have_attribute("value", "100")
        screenshot(page, "ministry-job-done-1366")

        page.set_viewport_size(PHONE)
        page.reload()
        link = page.get_by_role("link", name=f"下载 {samples.title}-推荐至民政部-", exact=False)
        expect(link).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], wide  # no sideways scrolling on the phone
        screenshot(page, "ministry-job-done-390", full_page=True)
        with page.expect_download() as download:
            link.click()
        data = tmp_path / "package.zip"
        download.value.save_as(data)
        archive = zipfile.ZipFile(io.BytesIO(data.read_bytes()))
        assert archive.namelist()[0] == "00-推荐稿件报送单.docx"
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["producer"]["exported_by"] == "reviewer"
        page.get_by_role("link", name="返回").click()
        expect(page.get_by_role("button", name="生成推荐至民政部材料包（zip）")).to_be_visible()
    finally:
        assert worker.stop() == 0
