"""Playwright drives Debian's /usr/bin/chromium (headless) against pytest-django's live server.

No browser is ever downloaded: `scripts/install-test-deps.sh` installs Debian's chromium;
when it is missing the browser tests are skipped with the reason, never passed.
"""

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OFFICE_SCREEN = {"width": 1366, "height": 768}

_screenshots: list[Path] = []


@pytest.fixture(scope="session")
def chromium():
    """One headless chromium for the whole session; each test opens its own context."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: browser tests need Debian's chromium "
            "(scripts/install-test-deps.sh installs it with apt-get)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is in requirements-dev.txt
        pytest.skip(f"the playwright package is not installed: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context (no cookies) on a 1366×768 office screen, per test."""
    context = chromium.new_context(
        viewport=OFFICE_SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone(chromium):
    """A phone: 390×844, touch, the browser's mobile viewport rules."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True,
                                   device_scale_factor=2)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browser_context_for(chromium):
    """Another user's browser: a page in a context of its own (no shared cookies)."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            viewport=OFFICE_SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai",
            accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo_site(settings, live_server):
    """The live server with the real demo: units from the CSV, the demo accounts and the 2022
    campaign (tests/conftest.py's `demo` is the same data in a rolled-back transaction)."""
    from campaigndesk.demo import load_demo

    settings.DEMO_MODE = True
    assert load_demo(samples=False) is True
    return live_server


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """$SCREENSHOT_DIR when set (the README's pictures), else a temporary folder."""
    configured = os.environ.get("SCREENSHOT_DIR")
    if configured:
        folder = Path(configured).resolve()
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="campaigndesk-screenshots-"))
    return folder


@pytest.fixture
def screenshot(screenshot_dir):
    def take(page, name: str, **options) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), **options)
        _screenshots.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _screenshots:
        terminalreporter.write_sep("-", "browser screenshots")
        for path in _screenshots:
            terminalreporter.write_line(str(path))


@pytest.fixture
def samples(demo_site):
    """The demo with its samples: the first-week reports (乌海市 late) and the briefs (one
    typical, published and recommended), made through the services on the live server's DB."""
    from campaigndesk.articles.demo import load_demo_articles
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.progress.demo import load_demo_progress

    campaign = Campaign.objects.get(year=2022)
    load_demo_progress(campaign)
    load_demo_articles(campaign)
    return campaign
