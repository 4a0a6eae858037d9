"""A brief from writing to /news/ in a real browser: a reporter writes with a wrong
character, applies the suggestion, uploads two photos and submits; the reviewer comments
on a span and returns it; the reporter resubmits; the reviewer sees the word-level diff,
accepts and publishes to the website; the public news page shows it."""

import re

import pytest
from playwright.sync_api import expect

from campaigndesk.demo import DEMO_PASSWORD
from tests.articles.conftest import BODY, TITLE, jpeg

pytestmark = pytest.mark.browser

WRONG = BODY + "\n本次活动的服务对像为辖区老年人和残疾人。"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, site, username):
    page.goto(f"{site.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.locator("form.stacked").get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def select_text(page, selector: str, text: str):
    """Select `text` inside the element as a mouse would, then release the mouse."""
    page.evaluate(
        """([selector, text]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.nodeValue.indexOf(text);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("text not found: " + text);
        }""",
        [selector, text],
    )


def upload_photo(page, number: int):
    page.locator("#id_image").set_input_files({
        "name": f"现场{number}.jpg", "mimeType": "image/jpeg",
        "buffer": jpeg(shapes=number * 17, color=(number * 70, 140, 90))})
    page.locator("#photo-form").get_by_label("图片说明").fill(f"社工与居民交流（{number}）")
    page.get_by_role("button", name="上传照片").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("照片已上传")


SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def open_menu(page) -> None:
    """On a phone the top bar's links are behind 菜单."""
    button = page.get_by_role("button", name=re.compile("菜单"))
    if button.is_visible():
        button.click()


@pytest.mark.parametrize("size", SIZES)
def test_brief_from_writing_to_news(page, browser_context_for, demo_site, media, screenshot,
                                    size):
    # The whole round trip on a desktop and on a phone, reporter and reviewer alike.
    page.set_viewport_size(SIZES[size])
    # The reporter writes the brief with 服务对像 and sees it highlighted.
    log_in(page, demo_site, "150100")
    open_menu(page)
    page.locator("#nav-articles").click()  # the top bar's link
    page.get_by_role("link", name="写新稿件").click()
    page.get_by_label("标题").fill(TITLE)
    page.locator("#id_body").fill(WRONG)
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/edit/$"))
    edit_url = page.url
    mark = page.locator("#findings mark.finding", has_text="对像")
    expect(mark).to_have_count(1)
    screenshot(page, f"article-finding-{size}")

    # One click applies the suggestion; the check runs again and the mark is gone.
    page.get_by_role("button", name="改为“对象”").click()
    expect(page.locator("#id_body")).to_have_value(re.compile("服务对象为辖区"))
    expect(page.locator("#findings mark.finding", has_text="对像")).to_have_count(0)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#id_body")).to_have_value(re.compile("服务对象为辖区"))

    upload_photo(page, 1)
    upload_photo(page, 2)
    expect(page.locator(".photos .photo")).to_have_count(2)
    page.locator("#id_confirm").check()
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("已报送（第1版）")
    article_url = page.url

    # The reviewer comments on a span and returns the brief.
    reviewer = browser_context_for()
    reviewer.set_viewport_size(SIZES[size])
    log_in(reviewer, demo_site, "reviewer")
    reviewer.goto(article_url)
    select_text(reviewer, "#review-body", "血压测量")
    expect(reviewer.locator("#comment-quote")).to_have_text("血压测量")
    reviewer.locator("#comment-form textarea").fill("请写明测量了多少人")
    reviewer.get_by_role("button", name="添加意见").click()
    expect(reviewer.locator("#review-body mark.comment")).to_have_text("血压测量")
    reviewer.get_by_label("退回修改意见").fill("请补充服务人数")
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.locator(".subtitle")).to_contain_text("退回修改")

    # The reporter sees the comment and resubmits.
    page.goto(edit_url)
    expect(page.locator("#review-comments")).to_contain_text("请写明测量了多少人")
    body = page.locator("#id_body").input_value()
    page.locator("#id_body").fill(body.replace("血压测量", "为60名老人血压测量"))
    page.locator("#id_confirm").check()
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("已报送（第2版）")

    # The reviewer sees what changed since the version they read, accepts and publishes.
    reviewer.goto(article_url)
    expect(reviewer.locator("#diff")).to_contain_text("与您上次阅读的第1版相比")
    expect(reviewer.locator("#diff-body ins")).to_contain_text(["60"])
    screenshot(reviewer, f"article-diff-{size}")
    assert reviewer.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    reviewer.get_by_role("button", name="采用").click()
    expect(reviewer.locator(".subtitle")).to_contain_text("已采用")
    reviewer.locator("#publish-form select").select_option("website")
    reviewer.get_by_role("button", name="登记发布").click()
    expect(reviewer.locator(".actions")).to_contain_text("厅门户网站")

    # Anyone, logged in or not, reads it on /news/.
    visitor = browser_context_for()
    visitor.set_viewport_size({"width": 390, "height": 844})
    visitor.goto(f"{demo_site.url}/news/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("figure img")).to_have_count(2)
    expect(visitor.locator("article")).to_contain_text("服务对象为辖区")
    screenshot(visitor, f"news-article-phone-{size}", full_page=True)
