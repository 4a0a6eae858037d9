"""The second outside walk (14b) in the browser: the offer to restore kept input is a bar
above the brief's form at 1366 and 390 px (it took the whole left column); a control
character in the explanation is named there, nothing typed lost; a reviewer accepting a
brief with open errors is asked first."""

import pytest
import time_machine
from playwright.sync_api import expect

from .test_grid_keep import wait_until_kept
from .test_login_pages import log_in
from .test_progress_grid import MORNING_OF_DEADLINE

pytestmark = pytest.mark.browser


@pytest.fixture
def brief(demo_site, settings, tmp_path):
    """A draft of 呼和浩特市 with two photos, ready to submit."""
    from campaigndesk.articles import services
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.units.models import User
    from tests.articles.conftest import BODY, TITLE, jpeg

    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = User.objects.get(username="150100")
    article = services.create_article(reporter, campaign=Campaign.objects.get(year=2022),
                                      unit=reporter.unit, title=TITLE, body=BODY)
    for n in (1, 2):
        services.add_photo(reporter, article, jpeg(shapes=100 + n * 7), caption=f"现场{n}")
    return article


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_keep_offer_is_a_bar_above_the_form(request, brief, demo_site, screenshot,
                                                device):
    page = request.getfixturevalue(device)
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/articles/{brief.pk}/edit/")
        page.locator("#id_body").fill(brief.body + "\n补记一段。")
        wait_until_kept(page)
        page.on("dialog", lambda dialog: dialog.accept())
        page.reload()
        offer = page.locator(".keep-offer")
        expect(offer).to_be_visible()
        screenshot(page, f"keep-offer-edit-{device}")
        bar, form = offer.bounding_box(), page.locator("#article-form").bounding_box()
        layout = page.locator(".brief-layout").bounding_box()
        # A bar of one or two lines across the layout, the form right under it.
        assert bar["height"] < (120 if device == "phone" else 50)
        assert abs(bar["width"] - layout["width"]) < 2
        assert bar["y"] + bar["height"] <= form["y"] <= bar["y"] + bar["height"] + 30
        if device == "page":  # the findings still beside the form
            aside = page.locator(".brief-layout > aside").bounding_box()
            assert aside["x"] > form["x"] + form["width"] - 1 and aside["y"] == form["y"]
        offer.get_by_role("button", name="恢复这些内容").click()
        expect(page.locator("#id_body")).to_have_value(brief.body + "\n补记一段。")
        expect(offer).to_be_hidden()


def test_a_control_character_in_the_explanation_is_named_on_the_page(page, brief,
                                                                     demo_site, screenshot):
    from campaigndesk.articles.models import Article, State

    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/articles/{brief.pk}/edit/")
        page.locator("#id_justification").fill("原文\x1b引用，不作修改")
        page.locator("#id_confirm").check()
        page.locator("#submit-button").click()
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("“未修改问题的说明”第 3 个字处有不可显示的控制字符 ESC")
        expect(page.locator("body")).not_to_contain_text("请勾选")
        expect(page.locator("#id_justification")).to_have_value("原文引用，不作修改")
        expect(page.locator("#id_confirm")).to_be_checked()
        # The page shows what was sent: no offer to restore it.
        expect(page.locator(".keep-offer")).to_be_hidden()
        screenshot(page, "submit-control-in-explanation", full_page=True)
        page.locator("#submit-button").click()
        expect(page.locator(".messages")).to_contain_text("已报送")
    assert Article.objects.get(pk=brief.pk).state == State.SUBMITTED


def test_accepting_with_open_errors_asks_first(page, brief, demo_site, screenshot):
    from campaigndesk.articles import services
    from campaigndesk.articles.models import Article, State
    from campaigndesk.units.models import User

    reporter = User.objects.get(username="150100")
    services.update_draft(reporter, brief, body=brief.body.replace("老年人提供", "老年人提供,"))
    services.submit_article(reporter, Article.objects.get(pk=brief.pk), justification="原文")
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "reviewer")
        page.goto(f"{demo_site.url}/articles/{brief.pk}/")
        steps = page.locator(".steps")
        expect(steps).to_contain_text("报送时仍有 1 处校对错误未修改（已说明理由），确认仍要采用")
        screenshot(page, "accept-open-errors")
        steps.get_by_role("button", name="采用").click()
        # The browser asks for the box (required): nothing is sent.
        page.wait_for_timeout(300)
        assert Article.objects.get(pk=brief.pk).state == State.SUBMITTED
        steps.get_by_label("确认仍要采用").check()
        steps.get_by_role("button", name="采用").click()
        expect(page.locator(".messages")).to_contain_text("已采用")
    assert Article.objects.get(pk=brief.pk).state == State.ACCEPTED


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_element_the_body_no_longer_holds_is_said_while_writing(request, brief, demo_site,
                                                                   screenshot, device):
    page = request.getfixturevalue(device)
    with time_machine.travel(MORNING_OF_DEADLINE, tick=True):
        log_in(page, demo_site, "150100")
        page.goto(f"{demo_site.url}/articles/{brief.pk}/edit/")
        expect(page.locator("#id_time_text")).to_have_value("3月18日上午")
        page.locator("#id_body").fill(brief.body.replace("3月18日", "3月27日"))
        findings = page.locator("#findings")
        expect(findings).to_contain_text("四要素“时间”填写的“3月18日上午”在正文中找不到，请核对")
        findings.scroll_into_view_if_needed()
        screenshot(page, f"stale-element-{device}")
        page.locator("#id_time_text").fill("3月27日上午")
        expect(findings).not_to_contain_text("四要素“时间”")
