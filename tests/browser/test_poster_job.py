"""The poster bundle as a background job in a real browser, with a real worker process: the
reporter presses 生成全部海报（.zip）, watches the progress bar name each place (1366×768),
then on a 390 px phone sees the finished job offer the .zip and downloads it."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.test_articles_flow import log_in
from tests.jobs.servers import Worker
from tests.places.builders import make_place

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_poster_bundle_shows_its_progress_and_offers_the_zip(
        demo_site, browser_context_for, screenshot, tmp_path):
    from campaigndesk.campaigns.models import Campaign

    for n in range(6):
        make_place(name=f"新城区第{n + 1}社工站")
    campaign = Campaign.objects.get(year=2022)
    page = browser_context_for()
    log_in(page, demo_site, "150100")
    page.goto(f"{demo_site.url}/units/150100/places/?campaign={campaign.pk}")
    worker = Worker("", tmp_path / "worker.log")
    try:
        page.get_by_role("button", name="生成全部海报（.zip）").click()
        expect(page.locator("h1")).to_have_text("服务场所海报（.zip）")
        status = page.locator("#job-status")
        # The step names the place being made (about a second each), for screen readers too.
        expect(status.get_by_role("status")).to_contain_text(
            re.compile(r"正在生成第\d/6个场所的海报：新城区第\d社工站"), timeout=60_000)
        screenshot(page, "poster-job-running-1366")
        expect(status).to_contain_text("已完成", timeout=90_000)
        expect(status.locator("progress")).to_have_attribute("value", "100")
        screenshot(page, "poster-job-done-1366")

        page.set_viewport_size(PHONE)
        page.reload()
        link = page.get_by_role("link", name="下载 呼和浩特市-服务场所海报.zip")
        expect(link).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], wide  # no sideways scrolling on the phone
        screenshot(page, "poster-job-done-390", full_page=True)
        with page.expect_download() as download:
            link.click()
        data = (tmp_path / "posters.zip")
        download.value.save_as(data)
        names = zipfile.ZipFile(io.BytesIO(data.read_bytes())).namelist()
        assert len(names) == 18 and "A4/新城区第1社工站-海报-A4.pdf" in names
        page.get_by_role("link", name="返回").click()
        expect(page.locator("#places")).to_contain_text("新城区第6社工站")
    finally:
        assert worker.stop() == 0
