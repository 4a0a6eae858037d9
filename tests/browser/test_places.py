"""Service places in a real browser (issue 16): a reporter registers a place from the top
bar, downloads its A4 poster, whose QR code leads to the public page; the public page is
read on a 390 px phone. Screenshots: the phone page and page 1 of the PDF (pdftoppm)."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.test_articles_flow import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="poppler-utils and zbar-tools are needed")
def test_reporter_registers_a_place_prints_its_poster_and_the_qr_opens_the_page(
        demo_site, browser_context_for, chromium, screenshot, screenshot_dir, tmp_path):
    page = browser_context_for()
    log_in(page, demo_site, "150100")
    page.locator("#nav-places").click()
    expect(page.locator("h1")).to_contain_text("社会工作服务场所")
    page.get_by_role("link", name="登记场所").click()
    page.get_by_label(re.compile("^所属单位")).select_option(label="新城区")
    page.get_by_label(re.compile("^场所名称")).fill("新城区锡林郭勒北路街道社工站")
    page.get_by_label(re.compile("^类型")).select_option(label="社工站")
    page.get_by_label(re.compile("^地址")).fill("新城区锡林郭勒北路18号")
    page.get_by_label(re.compile("^开放时间")).fill("周一至周五 8:30-17:30")
    page.get_by_label(re.compile("^服务内容")).fill("为辖区老年人、困境儿童和残疾人提供个案、小组和社区服务")
    page.get_by_label(re.compile("^服务清单")).fill("个案服务：困境儿童\n老年人关爱：独居老人\n政策咨询：辖区居民")
    page.get_by_label(re.compile("^服务人员")).fill("王芳，站长，社会工作师，13812345678\n李明，社工，助理社会工作师")
    page.get_by_label(re.compile("^服务流程")).fill("接待登记\n需求评估\n制定计划\n提供服务\n跟进回访")
    page.get_by_label(re.compile("^联系电话")).fill("0471-6901234")
    page.get_by_label(re.compile("^经度")).fill("111.670000")
    page.get_by_label(re.compile("^纬度")).fill("40.830000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已登记服务场所")
    row = page.locator("#places tr", has_text="新城区锡林郭勒北路街道社工站")
    with page.expect_download() as download:
        row.get_by_role("link", name="A4").click()
    pdf = tmp_path / "poster.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "110", "-png", "-singlefile",
                    str(pdf), str(screenshot_dir / "place-poster-a4")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw",
                              str(screenshot_dir / "place-poster-a4.png")],
                             capture_output=True, check=True).stdout.decode().strip()
    assert decoded.startswith(demo_site.url + "/places/") and decoded.endswith("/")

    phone = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                 device_scale_factor=2)
    try:
        public = phone.new_page()
        public.goto(decoded)  # as a phone that scanned the poster, without a log-in
        expect(public.locator("h1")).to_contain_text("新城区锡林郭勒北路街道社工站")
        expect(public.locator("#staff")).to_contain_text("138****5678")
        expect(public.locator("a.call")).to_have_attribute("href", "tel:0471-6901234")
        expect(public.get_by_role("link", name="在地图中查看")).to_have_attribute(
            "href", "https://uri.amap.com/marker?position=111.670000,40.830000&name="
            "%E6%96%B0%E5%9F%8E%E5%8C%BA%E9%94%A1%E6%9E%97%E9%83%AD%E5%8B%92%E5%8C%97%E8%B7%AF"
            "%E8%A1%97%E9%81%93%E7%A4%BE%E5%B7%A5%E7%AB%99")
        width = public.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # nothing wider than the phone
        screenshot(public, "place-public-390", full_page=True)
    finally:
        phone.close()
