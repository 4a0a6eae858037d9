"""Pages print cleanly: no top bar or buttons on paper, every table inside an A4 page; and
every page (the site, the public news, the screen) has the favicon."""

import pytest
from playwright.sync_api import expect

from .test_login_pages import log_in

pytestmark = pytest.mark.browser
# A4 is 210 mm wide; print.css keeps 12 mm margins: 186 mm at 96 CSS pixels per inch.
PRINTABLE = round(186 / 25.4 * 96)


def _printed(page, url: str, pdf_path):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.emulate_media(media="screen")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("header.top")).to_be_visible()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE, "height": 1100})
    expect(page.locator("header.top")).to_be_hidden()
    assert page.locator("main button:visible, main .button:visible").count() == 0, url
    widest = page.evaluate("""() => Math.max(document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))""")
    assert widest <= PRINTABLE, (url, widest)
    page.pdf(path=str(pdf_path), format="A4", print_background=True)


def test_pages_print_on_a4_without_the_site_controls(page, demo_site, samples,
                                                     screenshot_dir):
    log_in(page, demo_site, "region-admin")
    from campaigndesk.progress.models import Report

    report = Report.objects.filter(deadline__campaign=samples, unit__code="150400").first()
    for name, path in [
        ("dashboard", f"/campaigns/{samples.pk}/dashboard/"),
        ("progress", f"/campaigns/{samples.pk}/progress/"),  # the 14-column summary
        ("report", f"/reports/{report.pk}/"),
        ("articles", f"/campaigns/{samples.pk}/articles/"),
        ("summaries", f"/campaigns/{samples.pk}/summaries/"),
    ]:
        _printed(page, f"{demo_site.url}{path}", screenshot_dir / f"print-{name}.pdf")


def test_every_kind_of_page_has_the_favicon(page, demo_site):
    for path in ["/login/", "/news/", "/screen/"]:
        page.goto(f"{demo_site.url}{path}")
        icon = page.locator('link[rel="icon"]')
        expect(icon).to_have_count(1)
        response = page.request.get(f"{demo_site.url}{icon.get_attribute('href')}")
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.text().startswith("<svg")
