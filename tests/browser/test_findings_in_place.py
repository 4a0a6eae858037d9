"""Outsider 14 in a real browser: on a 390 px phone the save message gives the counts and
jumps to the findings, and a tap (or keyboard focus) on a highlighted word shows its
explanation; at 1366 px the reviewer finds the submitted findings marked in the title and
the text, each line of the list leading to its place, and the list's 校对错误 column."""

import pytest
from playwright.sync_api import expect

from tests.articles.test_findings_in_place import TITLE, TYPO_BODY

from .test_login_pages import log_in
from .test_phone_layout import OFFICE, PHONE, scroll_width

pytestmark = pytest.mark.browser


@pytest.fixture
def brief(demo_site):
    from campaigndesk.articles import services
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.units.models import User
    from tests.articles.conftest import jpeg

    reporter = User.objects.get(username="150100")
    campaign = Campaign.objects.get(year=2022)
    article = services.create_article(reporter, campaign=campaign, unit=reporter.unit,
                                      title="赛罕区开展社会工作主题宣传活动", body=TYPO_BODY)
    for n in (1, 2):
        services.add_photo(reporter, article, jpeg(shapes=60 + n * 11), caption=f"现场{n}")
    return article


def test_phone_save_counts_and_a_tap_explains_the_mark(phone, demo_site, brief, screenshot):
    log_in(phone, demo_site, "150100")
    phone.goto(f"{demo_site.url}/articles/{brief.pk}/edit/")
    phone.locator("#id_title").fill(TITLE)
    phone.get_by_role("button", name="保存草稿").click()
    message = phone.locator(".messages")
    expect(message).to_contain_text("草稿已保存；校对：2 处错误、3 处提示")
    phone.wait_for_load_state("networkidle")
    screenshot(phone, "outsider14-phone-after-save")
    message.get_by_role("link", name="查看校对结果").click()
    expect(phone.locator("#findings")).to_be_in_viewport()
    expect(phone.locator("#preview-title mark")).to_have_count(1)
    assert scroll_width(phone) <= PHONE["width"]
    screenshot(phone, "outsider14-phone-findings")

    tip = phone.locator("#mark-tip")
    phone.locator("#preview-title mark").tap()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("“接诉既办”")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(phone, "outsider14-phone-tap-mark")
    phone.locator("#length-count").tap()
    expect(tip).to_be_hidden()
    # The keyboard: focus on a mark shows it, Escape hides it.
    phone.locator("#preview mark").first.focus()
    expect(tip).to_be_visible()
    phone.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_reviewer_finds_the_submitted_findings_in_place(page, demo_site, brief, screenshot):
    from campaigndesk.articles import services
    from campaigndesk.articles.models import Article
    from campaigndesk.units.models import User

    reporter = User.objects.get(username="150100")
    services.update_draft(reporter, brief, title=TITLE)
    services.submit_article(reporter, Article.objects.get(pk=brief.pk),
                            justification="接诉既办是居民的原话")
    page.set_viewport_size(OFFICE)
    log_in(page, demo_site, "reviewer")
    page.goto(f"{demo_site.url}/campaigns/{brief.campaign_id}/articles/")
    row = page.locator("#review-queue tr", has_text=TITLE)
    expect(row.locator("td.open-errors")).to_have_text("2 处 已说明")
    screenshot(page, "outsider14-review-list")
    row.get_by_role("link", name=TITLE).click()
    expect(page.locator("#review-title mark")).to_have_count(1)
    expect(page.locator("#review-body mark.finding")).to_have_count(4)
    listed = page.locator("#version-findings")
    line = listed.locator("li", has_text="不在报送单位的辖区内")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("（共 3 处）")
    line.get_by_role("link", name="第4段").click()
    target = page.locator("#review-body mark:target")
    expect(target).to_have_text("阿拉善左旗")
    expect(target).to_be_in_viewport()
    expect(page.locator("#mark-tip")).to_contain_text("不在报送单位的辖区内")
    listed.get_by_role("link", name="标题").click()
    expect(page.locator("#review-title mark:target")).to_have_text("接诉既办")
    screenshot(page, "outsider14-review-desk", full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(page.url.split("#")[0])
    page.locator("#review-body mark.finding").first.click()
    expect(page.locator("#mark-tip")).to_contain_text("“接诉既办”")
    assert scroll_width(page) <= PHONE["width"]
    screenshot(page, "outsider14-review-390", full_page=True)


def test_desk_writing_page_marks_the_title_and_explains(chromium, demo_site, brief, screenshot):
    from campaigndesk.articles import services
    from campaigndesk.units.models import User

    services.update_draft(User.objects.get(username="150100"), brief, title=TITLE)
    context = chromium.new_context(viewport=OFFICE, locale="zh-CN")
    try:
        page = context.new_page()
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/articles/{brief.pk}/edit/")
        expect(page.locator("#preview-title mark")).to_have_text("接诉既办")
        expect(page.locator("#findings-legend")).to_contain_text("把握")
        page.locator("#preview-title mark").click()
        expect(page.locator("#mark-tip")).to_be_visible()
        screenshot(page, "outsider14-desk-edit", full_page=True)
    finally:
        context.close()
