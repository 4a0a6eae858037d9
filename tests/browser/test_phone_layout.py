"""Issue 13 point 4: the signed-in pages work on a 390×844 phone. No page a reporter uses,
and none of the region's wide pages, scrolls sideways (a wide table scrolls in its own box);
the top bar folds behind 菜单, which opens the nav, the campaign switcher and 退出; on the
1366×768 office screen the bar is one line without the button. Photos can be taken with
the camera and several chosen at once."""

import re

import pytest
from playwright.sync_api import expect

from tests.articles.conftest import BODY, jpeg

from .test_login_pages import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}  # the `phone` fixture (conftest.py) is this size
OFFICE = {"width": 1366, "height": 768}
MESSY_TABLE = "tests/progress/files/messy.xlsx"

# Every page by an id (the test's name) and the name a failure reports; the address is made
# from the objects of `site` (the 2022 demo with its samples, a draft with photos).
REPORTER_PAGES = [
    ("home", "首页", "/"),
    ("unit-home", "本单位（活动）", "/campaigns/{c}/units/150100/"),
    ("grid", "工作进展统计表", "/campaigns/{c}/units/150100/progress/"),
    ("import-preview", "导入预览", "import-preview"),
    ("briefs", "稿件列表", "/campaigns/{c}/units/150100/articles/"),
    ("brief-new", "写新稿件", "/campaigns/{c}/units/150100/articles/new/"),
    ("brief-edit-photos", "修改稿件和照片", "/articles/{draft}/edit/"),
    ("brief-page", "稿件页", "/articles/{published}/"),
    # Three versions, two returns and four comments: the version line and the earlier
    # reasons once made the page 477 px wide.
    ("brief-versions", "多版本稿件页", "/articles/{versions}/"),
    ("places", "服务场所", "/units/150100/places/"),
    ("summary", "活动总结", "/campaigns/{c}/units/150100/summary/"),
    ("summary-version", "总结版本", "/summaries/{summary}/"),
    ("notices", "通知", "/notices/"),
    ("password", "修改密码", "/password/"),
    ("report", "本单位报告页", "/reports/{report}/"),
]
REGION_PAGES = [
    ("report", "单位报告页", "/reports/{report}/"),
    ("overview", "活动总览", "/campaigns/{c}/"),
    ("dashboard", "数据看板", "/campaigns/{c}/dashboard/"),
    ("progress-summary", "工作进展汇总", "/campaigns/{c}/progress/"),
    ("grid-rounds", "统计表页的各轮报告", "/campaigns/{c}/units/150100/progress/"),
    ("review-list", "稿件审核列表", "/campaigns/{c}/articles/"),
    ("brief-review", "稿件审核页", "/articles/{published}/"),
    ("summaries", "各单位活动总结", "/campaigns/{c}/summaries/"),
    ("places", "全区服务场所", "/units/150000/places/"),
    # Found 530 px wide by a walk at 390 px: the token list.
    ("api-tokens", "API令牌", "/manage/api-tokens/"),
    ("intake", "邮件报送", "/intake/"),
    ("intake-addresses", "单位报送邮箱", "/intake/addresses/"),
]
PAGES = [pytest.param("150100", name, path, id=f"reporter-{slug}")
         for slug, name, path in REPORTER_PAGES] + [
    pytest.param("region-admin", name, path, id=f"region-{slug}")
    for slug, name, path in REGION_PAGES]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(media, samples, demo_site):
    """The 2022 demo with its samples (briefs reviewed, four bureaus' first rounds), and for
    呼和浩特市 its first round sent (the grid page lists it under 各轮报告), a draft brief
    with two photos and a sent final summary; 2022 copied as 2023, so that home lists two
    campaigns and the top bar has the campaign switcher."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from campaigndesk.articles import services as articles
    from campaigndesk.articles.models import Article, State
    from campaigndesk.campaigns.services import copy_campaign
    from campaigndesk.oversight import summaries
    from campaigndesk.progress.demo import LIVE_FIRST_WEEK, load_demo_progress
    from campaigndesk.progress.models import Report, ReportStatus
    from campaigndesk.units.models import User

    load_demo_progress(samples, LIVE_FIRST_WEEK)
    copy_campaign(User.objects.get(username="region-admin"), samples, year=2023)
    reporter = User.objects.get(username="150100")
    draft = articles.create_article(reporter, campaign=samples, unit=reporter.unit,
                                    title="赛罕区开展社会工作主题宣传活动", body=BODY)
    for n in (1, 2):
        articles.add_photo(reporter, draft, jpeg(shapes=n * 11), caption=f"活动现场（{n}）")
    reviewer = User.objects.get(username="reviewer")
    versions = articles.create_article(
        reporter, campaign=samples, unit=reporter.unit, title="赛罕区开展义诊活动",
        body=BODY, time_text="3月18日", place_text="赛罕区", recipients_text="老年人",
        participants_text="社工")
    for n in (1, 2):
        articles.add_photo(reporter, versions, jpeg(shapes=n * 5), caption=f"义诊（{n}）")
    articles.submit_article(reporter, Article.objects.get(pk=versions.pk), justification="已核")
    for _round in range(2):
        current = Article.objects.get(pk=versions.pk)
        body = current.latest_version().body
        for quote in (body[4:8], body[20:24]):
            articles.add_comment(reviewer, current, start=body.index(quote),
                                 end=body.index(quote) + 4, quote=quote,
                                 text="请写明服务人数和服务成效，补充具体数据")
        articles.return_article(reviewer, current, reason="请补充服务人数和活动成效，写明具体数据")
        current = Article.objects.get(pk=versions.pk)
        articles.update_draft(reporter, current, body=current.body + "\n　　补充内容。")
        articles.resubmit_article(reporter, Article.objects.get(pk=versions.pk),
                                  justification="已核")
    from tests.api.conftest import make_token
    from tests.places.builders import make_place

    make_place()
    make_token(User.objects.get(username="region-admin"), reporter.unit, name="呼和浩特市台账系统")
    deadline = summaries.summary_deadlines(samples)[0]
    summary = summaries.submit_summary(
        reporter, deadline, reporter.unit, text="一、基本情况\n全市开展活动12场。\n二、经验做法",
        now=datetime(2022, 4, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    objects = {
        "c": samples.pk, "draft": draft.pk, "versions": versions.pk,
        "published": Article.objects.filter(unit__code="150100", state=State.PUBLISHED)
        .get().pk,
        "summary": summary.pk,
        "report": Report.objects.get(deadline__campaign=samples, unit__code="150100",
                                     status=ReportStatus.SUBMITTED).pk,
    }
    return demo_site, objects


def open_page(page, live, path: str, objects: dict) -> None:
    if path == "import-preview":
        page.goto(f"{live.url}/campaigns/{objects['c']}/units/150100/progress/")
        page.locator("input[name=file]").set_input_files(MESSY_TABLE)
        page.get_by_role("button", name="上传并预览").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("导入预览")
    else:
        address = path.format(**objects)
        page.goto(f"{live.url}{address}")
        # The page itself, not a redirect to another one or an error page.
        assert page.url == f"{live.url}{address}", (address, page.url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")  # htmx findings, the dashboard's charts


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(("username", "name", "path"), PAGES)
def test_no_sideways_scrolling_at_390(phone, site, screenshot, username, name, path):
    live, objects = site
    log_in(phone, live, username)
    open_page(phone, live, path, objects)
    screenshot(phone, f"phone-{username}-{name}", full_page=True)
    width = scroll_width(phone)
    assert width <= PHONE["width"], f"{name}：页面宽 {width} px，超出手机屏幕"
    # A wide table is there, scrolling in its own box, not cut off by the page.
    for box in phone.locator(".table-scroll, .grid-scroll").all():
        inside = box.evaluate("b => b.getBoundingClientRect().right")
        assert inside <= PHONE["width"], name


def one_line(locator) -> bool:
    """True when the element's text sits on a single line (no character-per-line wrap)."""
    return locator.evaluate("""el => {
        const range = document.createRange();
        range.selectNodeContents(el);
        // A second line starts a line-height (about 20 px) lower; a badge sits a few px off.
        const tops = [...range.getClientRects()].map(r => r.top);
        return Math.max(...tops) - Math.min(...tops) < 10;
    }""")


@pytest.mark.parametrize("username", ["150100", "region-admin"])
def test_menu_opens_on_a_phone_and_signs_out(phone, site, screenshot, username):
    live, objects = site
    log_in(phone, live, username)
    toggle = phone.get_by_role("button", name="菜单")
    nav = phone.locator("header.top nav")
    sign_out = phone.locator("header.top").get_by_role("button", name="退出")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "top-menu")
    expect(nav).to_be_hidden()
    expect(sign_out).to_be_hidden()
    header = phone.locator("header.top").bounding_box()
    assert header["height"] <= 60, header  # brand and button on one line
    assert one_line(phone.locator("header.top .brand"))

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(phone.locator("#campaign-switcher summary")).to_be_visible()
    expect(phone.locator("header.top").get_by_role("link", name="修改密码")).to_be_visible()
    links = nav.get_by_role("link")
    assert links.count() >= 3
    for link in links.all():
        expect(link).to_be_in_viewport()
        assert one_line(link), link.inner_text()
    expect(sign_out).to_be_in_viewport()
    assert scroll_width(phone) <= PHONE["width"]
    screenshot(phone, f"phone-menu-open-{username}")

    # Escape folds it again and gives the focus back to the button.
    phone.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    toggle.click()
    sign_out.click()
    expect(phone).to_have_url(re.compile(r"/login/"))


@pytest.mark.parametrize("username", ["150100", "region-admin"])
def test_office_screen_shows_the_bar_without_the_button(page, site, screenshot, username):
    live, objects = site
    log_in(page, live, username)
    if username == "region-admin":
        page.goto(f"{live.url}/campaigns/{objects['c']}/")
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    nav = page.locator("header.top nav")
    expect(nav).to_be_visible()
    for link in nav.get_by_role("link").all():
        expect(link).to_be_visible()
    expect(page.locator("header.top").get_by_role("button", name="退出")).to_be_visible()
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 50, header  # one line, as before
    assert scroll_width(page) <= OFFICE["width"]
    screenshot(page, f"office-bar-{username}", clip={"x": 0, "y": 0, "width": 1366, "height": 60})


def test_photos_from_the_camera_or_several_at_once(phone, site, screenshot):
    live, objects = site
    log_in(phone, live, "150100")
    phone.goto(f"{live.url}/articles/{objects['draft']}/edit/#photos")
    several = phone.locator("#id_image")
    camera = phone.locator("#id_camera")
    expect(several).to_have_attribute("accept", "image/*")
    expect(several).to_have_attribute("multiple", "")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(camera).to_have_attribute("capture", "environment")
    expect(phone.get_by_label("或用手机拍照")).to_be_visible()  # a phone shows the camera

    several.set_input_files([
        {"name": "现场3.jpg", "mimeType": "image/jpeg", "buffer": jpeg(shapes=31)},
        {"name": "现场4.jpg", "mimeType": "image/jpeg", "buffer": jpeg(shapes=47)},
    ])
    phone.locator("#photo-form").get_by_label("图片说明").fill("社工入户探访")
    phone.get_by_role("button", name="上传照片").click()
    expect(phone.locator(".messages")).to_contain_text("照片已上传（2 张）")
    expect(phone.locator(".photo")).to_have_count(4)
    expect(phone.locator(".photo input[name=caption]").nth(3)).to_have_value("社工入户探访")
    assert scroll_width(phone) <= PHONE["width"]
    screenshot(phone, "phone-photos-uploaded", full_page=True)


def test_too_large_a_selection_is_refused_before_sending(phone, site):
    live, objects = site
    log_in(phone, live, "150100")
    phone.goto(f"{live.url}/articles/{objects['draft']}/edit/")
    form = phone.locator("#photo-form")
    big = jpeg(2400, 1600, shapes=5)
    small = [jpeg(400, 300, shapes=n) for n in (1, 2, 3)]
    # The page's limits (20 MB a photo, 25 MB a post) scaled down to these pictures, so the
    # test need not make real 25 MB files: each small one passes, the big one and the three
    # small ones together do not.
    per_photo, per_post = max(map(len, small)) + 1, sum(map(len, small)) - 1
    assert len(big) > per_photo
    form.evaluate("(f, limits) => { [f.dataset.maxFileBytes, f.dataset.maxBytes] = limits; }",
                  [per_photo, per_post])
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.locator("#id_image").set_input_files(
        [{"name": "大图.jpg", "mimeType": "image/jpeg", "buffer": big}])
    phone.get_by_role("button", name="上传照片").click()
    expect(form.locator(".upload-check")).to_contain_text("“大图.jpg”有")
    phone.locator("#id_image").set_input_files(
        [{"name": f"小图{n}.jpg", "mimeType": "image/jpeg", "buffer": data}
         for n, data in enumerate(small, 1)])
    phone.get_by_role("button", name="上传照片").click()
    expect(form.locator(".upload-check")).to_contain_text("所选 3 个文件共")
    assert posts == []
    # Two of them fit: sent, and the note is gone.
    phone.locator("#id_image").set_input_files(
        [{"name": f"小图{n}.jpg", "mimeType": "image/jpeg", "buffer": data}
         for n, data in enumerate(small[:2], 1)])
    phone.get_by_role("button", name="上传照片").click()
    expect(phone.locator(".messages")).to_contain_text("照片已上传（2 张）")
    expect(phone.locator(".upload-check")).to_have_count(0)


def test_office_screen_has_no_camera_choice(page, site):
    live, objects = site
    log_in(page, live, "150100")
    page.goto(f"{live.url}/articles/{objects['draft']}/edit/")
    expect(page.locator("#id_image")).to_be_visible()
    expect(page.locator("#photo-form .camera-choice")).to_be_hidden()


def test_without_scripts_the_phone_menu_is_simply_open(chromium, site):
    """site.js opens the menu; a browser without scripts shows it open, without the button."""
    live, objects = site
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live, "150100")
        expect(page.get_by_role("button", name="菜单")).to_be_hidden()
        expect(page.locator("header.top nav")).to_be_visible()
        expect(page.locator("header.top").get_by_role("button", name="退出")).to_be_in_viewport()
        assert scroll_width(page) <= PHONE["width"]
    finally:
        context.close()
