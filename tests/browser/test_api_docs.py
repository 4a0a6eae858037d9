"""Issue 18: the API's docs open in a browser from this server alone, under our CSP, and
a token made on the token page works in them ("Try it out")."""

import re

import pytest

from campaigndesk.demo import DEMO_PASSWORD

from .test_csp import watch
from .test_login_pages import log_in

pytestmark = pytest.mark.browser


def test_docs_render_with_no_other_host_and_no_csp_violation(page, demo_site):
    problems = watch(page)
    hosts = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^(\w+://[^/]+).*", r"\1",
                                                        request.url)))
    response = page.goto(f"{demo_site.url}/api/v1/docs/")
    assert response is not None and response.status == 200
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Campaign Desk API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/news/briefs").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert hosts == {demo_site.url}
    assert problems == []


def test_a_token_from_the_token_page_works_in_the_docs(browser_context_for, demo_site):
    page = browser_context_for()
    problems = watch(page)
    log_in(page, demo_site, "region-admin", DEMO_PASSWORD)
    page.goto(f"{demo_site.url}/manage/accounts/")
    page.get_by_role("link", name=re.compile("API令牌")).click()
    page.get_by_label("名称").fill("浏览器测试")
    page.get_by_role("button", name="创建").click()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("cdk_")
    # Gone once the page is left.
    page.reload()
    assert page.locator("#token-secret").count() == 0 or \
        page.locator("#token-secret").inner_text() != secret
    page.goto(f"{demo_site.url}/api/v1/docs/")
    page.get_by_role("button", name=re.compile("Authorize")).first.click()
    page.locator(".auth-container input").first.fill(secret)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".btn-done").click()
    block = page.locator(".opblock", has=page.locator(".opblock-summary-path",
                                                     has_text=re.compile(r"^/api/v1/units$")))
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    # The live answer (not the documented example): the units the token may see.
    block.locator(".live-responses-table").wait_for()
    block.locator(".live-responses-table .microlight", has_text="150100").first.wait_for()
    assert problems == []
