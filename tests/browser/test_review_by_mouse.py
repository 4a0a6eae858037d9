"""Issue 13 points 1, 2, 3 and 5 in a real browser, as a reporter of 通辽市 and the reviewer
work: span comments made with the mouse (a drag, a click and a shift-click) land on the
words selected after line breaks, full-width spaces, an emoji and a CJK Ext-B character,
and in a brief imported from .docx; they follow the text into the next version or say
原文已修改; the reason for a return shows where the reporter works; every one-click fix
edits exactly its span; the counter counts as WPS/Word do."""

import io
import re

import pytest
from playwright.sync_api import expect

from campaigndesk.articles.models import Article, ReviewComment
from campaigndesk.proofing.text import count_chars
from tests.articles.test_one_click_fixes import FIXABLE, SENTENCES, TITLE_WITH_PERIOD
from tests.browser.test_articles_flow import log_in, upload_photo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TITLE = "科尔沁区社区开展社会工作主题宣传活动"
PARAGRAPHS = [
    "3月18日上午，通辽市科尔沁区民政局联合科尔沁区社会工作服务中心，在明仁街道社工站开展"
    "“五社联动聚合力 社工服务暖基层”主题宣传活动，12名社工和8名社区志愿者为辖区老年人提供"
    "政策咨询、血压测量和心理疏导等服务，发放宣传折页300余份。",
    "　　活动中，社工还为儿童带来了笑脸贴纸😊和𠀀字卡片，用游戏讲解社会工作的服务内容，"
    "现场解答了居家养老、社会救助等方面的问题，并登记了入户探访需求。",
    "　　3月19日，社区开展核算检测志愿服务，社工协助登记并引导居民有序排队，"
    "为行动不便的独居老人提供上门服务，本次活动共服务群众200余人次。",
    "　　下一步，科尔沁区民政局将以苏木乡镇（街道）社工站为阵地，持续推动社区、社会组织、"
    "社会工作者、社区志愿者、社会慈善资源联动，让专业服务更好地惠及基层群众。",
]
BODY = "\n".join(PARAGRAPHS)
ELEMENTS = {"time_text": "3月18日", "place_text": "明仁街道社工站",
            "recipients_text": "老年人、儿童", "participants_text": "社工、社区志愿者"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Where the words are on screen. A Range only measures the characters; the selection itself
# is made by the mouse.
CHAR_BOXES = """([selector, text, occurrence]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = "", node;
    while ((node = walker.nextNode())) { nodes.push([node, all.length]); all += node.nodeValue; }
    let at = -1;
    for (let i = 0; i <= occurrence; i++) { at = all.indexOf(text, at + 1); }
    if (at < 0) { throw new Error("not on the page: " + text); }
    const box = (index, length) => {
        for (const [n, base] of nodes) {
            if (index < base + n.nodeValue.length) {
                const r = document.createRange();
                r.setStart(n, index - base);
                r.setEnd(n, index - base + length);
                const b = r.getBoundingClientRect();
                return {x: b.left, y: b.top, w: b.width, h: b.height};
            }
        }
    };
    const width = (s) => s.codePointAt(0) > 0xffff ? 2 : 1;
    const last = Array.from(text).pop();
    return {first: box(at, width(text)), last: box(at + text.length - last.length, last.length)};
}"""


def boxes(page, selector, text, occurrence=0):
    page.locator(selector).scroll_into_view_if_needed()
    return page.evaluate(CHAR_BOXES, [selector, text, occurrence])


def drag_select(page, selector, text, occurrence=0):
    """Press on the left edge of the first character, drag to the right edge of the last."""
    b = boxes(page, selector, text, occurrence)
    first, last = b["first"], b["last"]
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2, steps=10)
    page.mouse.up()


def click_shift_click(page, selector, text):
    b = boxes(page, selector, text)
    first, last = b["first"], b["last"]
    page.mouse.click(first["x"] + 1, first["y"] + first["h"] / 2)
    page.keyboard.down("Shift")
    page.mouse.click(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2)
    page.keyboard.up("Shift")


def comment_on(page, words, text, *, how=drag_select):
    how(page, "#review-body", words)
    expect(page.locator("#comment-quote")).to_have_text(words)
    page.locator("#comment-form textarea").fill(text)
    page.get_by_role("button", name="添加意见").click()
    expect(page.locator(".messages")).to_contain_text("意见已添加")


def fill_elements_and_submit(page):
    for name, value in ELEMENTS.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_justification").fill("已核对，地名和数字无误")
    page.locator("#id_confirm").check()
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("已报送")


def test_comments_by_mouse_follow_the_text_and_the_return_reaches_the_reporter(
        page, browser_context_for, demo_site, media, screenshot):
    # 通辽市's reporter writes a brief of four paragraphs and sends it.
    log_in(page, demo_site, "150500")
    page.locator("#nav-articles").click()
    page.get_by_role("link", name="写新稿件").click()
    page.get_by_label("标题").fill(TITLE)
    page.locator("#id_body").fill(BODY)
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/edit/$"))
    edit_url = page.url
    upload_photo(page, 1)
    upload_photo(page, 2)
    fill_elements_and_submit(page)
    article_url = page.url
    article = Article.objects.get(title=TITLE)
    assert article.latest_version().body == BODY

    # The reviewer selects words in the third paragraph by dragging, and words around the
    # emoji and 𠀀 by a click and a shift-click.
    reviewer = browser_context_for()
    log_in(reviewer, demo_site, "reviewer")
    reviewer.goto(article_url)
    comment_on(reviewer, "核算检测", "应为“核酸检测”")
    expect(reviewer.locator("#review-body mark.comment")).to_have_text(["核算检测"])
    comment_on(reviewer, "笑脸贴纸😊和𠀀字", "正式稿件不用表情符号", how=click_shift_click)
    expect(reviewer.locator("#review-body mark.comment")).to_have_text(
        ["笑脸贴纸😊和𠀀字", "核算检测"])
    assert sorted(c.quote for c in ReviewComment.objects.filter(article=article)) == sorted(
        ["核算检测", "笑脸贴纸😊和𠀀字"])
    for c in ReviewComment.objects.filter(article=article):
        assert BODY[c.start:c.end] == c.quote
    screenshot(reviewer, "review-comments-by-mouse")
    reviewer.get_by_label("退回修改意见").fill("请核实第三段的用词，并写明服务人数")
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.locator(".subtitle")).to_contain_text("退回修改")

    # The reporter sees the return: a count on 通知, the brief on the home page with the
    # reason, the reason and the comments above the text on the brief and edit pages.
    page.goto(f"{demo_site.url}/")
    expect(page.locator("#nav-notices .badge")).to_have_text(re.compile(r"^[1-9]\d*$"))
    todo = page.locator("#todo")
    expect(todo).to_contain_text(TITLE)
    expect(todo).to_contain_text("退回修改意见：请核实第三段的用词，并写明服务人数")
    screenshot(page, "reporter-home-returned")
    todo.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(edit_url)
    note = page.locator("#review-comments")
    expect(note.locator("#return-note")).to_contain_text("请核实第三段的用词，并写明服务人数")
    expect(note).to_contain_text("应为“核酸检测”")
    assert note.bounding_box()["y"] < page.locator("#id_body").bounding_box()["y"]
    screenshot(page, "reporter-edit-returned")
    page.set_viewport_size(PHONE)
    page.goto(article_url)
    expect(page.locator("#return-note")).to_be_visible()
    screenshot(page, "reporter-brief-returned-phone", full_page=True)
    page.goto(f"{demo_site.url}/")
    screenshot(page, "reporter-home-returned-phone", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # The reporter adds a line on top, corrects the emoji sentence, and sends version 2.
    page.goto(edit_url)
    revised = ("（通讯员 包丽娜）\n" + BODY).replace("笑脸贴纸😊和𠀀字卡片", "卡通贴纸和识字卡片")
    page.locator("#id_body").fill(revised)
    fill_elements_and_submit(page)
    expect(page.locator(".messages")).to_contain_text("第2版")

    # Version 2 shows the kept comment on its words, moved; the other as 原文已修改.
    reviewer.goto(article_url)
    expect(reviewer.locator("#review-body mark.comment")).to_have_text(["核算检测"])
    stale = reviewer.locator("#comments li.stale")
    expect(stale).to_have_count(1)
    expect(stale).to_contain_text("原文已修改")
    expect(stale).to_contain_text("笑脸贴纸😊和𠀀字")
    screenshot(reviewer, "review-version-2-anchored")

    # On a phone the selection comes from a long-press and drag handles: no mouseup and no
    # key, only the selection itself changing. The comment form takes it all the same.
    reviewer.set_viewport_size(PHONE)
    reviewer.goto(article_url)
    reviewer.evaluate("""() => {
        const root = document.querySelector("#review-body");
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.nodeValue.indexOf("志愿服务");
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 4);
                const selection = window.getSelection();
                selection.removeAllRanges(); selection.addRange(range);
                return;
            }
        }
        throw new Error("志愿服务 not on the page");
    }""")
    expect(reviewer.locator("#comment-quote")).to_have_text("志愿服务")
    expect(reviewer.locator("#comment-form button[type=submit]")).to_be_enabled()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(PARAGRAPHS[0])
    second = document.add_paragraph("　　活动中，社工为儿童讲解社会工作的服务内容。")
    second.add_run().add_break()  # a soft line break inside the paragraph (Shift+Enter)
    second.add_run("社工与居民\t交流了居家养老问题。")
    document.add_paragraph(PARAGRAPHS[2])
    document.add_paragraph(PARAGRAPHS[3])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_comment_on_a_brief_imported_from_word(page, browser_context_for, demo_site, media):
    log_in(page, demo_site, "150500")
    page.locator("#nav-articles").click()
    page.locator("input[type=file][name=file]").set_input_files({
        "name": "科尔沁区简讯.docx", "buffer": docx_bytes(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已从 Word 文档导入")
    upload_photo(page, 1)
    upload_photo(page, 2)
    fill_elements_and_submit(page)
    article = Article.objects.get(title=TITLE)
    body = article.latest_version().body
    assert "\n社工与居民\t交流" in body  # the soft break and the tab came along

    reviewer = browser_context_for()
    log_in(reviewer, demo_site, "reviewer")
    reviewer.goto(page.url)
    comment_on(reviewer, "居家养老", "请具体说明")
    comment_on(reviewer, "核算检测", "应为“核酸检测”", how=click_shift_click)
    quotes = {c.quote: c for c in ReviewComment.objects.filter(article=article)}
    assert set(quotes) == {"居家养老", "核算检测"}
    for quote, c in quotes.items():
        assert body[c.start:c.end] == quote


def test_every_one_click_fix_edits_exactly_its_span(page, demo_site, screenshot):
    log_in(page, demo_site, "150100")
    page.locator("#nav-articles").click()
    page.get_by_role("link", name="写新稿件").click()
    page.get_by_label("标题").fill(TITLE_WITH_PERIOD)
    page.locator("#id_body").fill("\n".join(PARAGRAPHS[:1] + SENTENCES))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#findings [data-apply-suggestion]").first).to_be_visible()
    screenshot(page, "fix-buttons")
    expected = [(span, fix) for span, fix in FIXABLE.values()] + [("。", "")]
    shown = page.locator("#findings [data-apply-suggestion]")
    texts = [(b.get_attribute("data-text"), b.get_attribute("data-suggestion"))
             for b in shown.all()]
    assert set(expected) <= set(texts), sorted(set(expected) - set(texts))
    for span, fix in expected:
        button = page.locator("#findings [data-apply-suggestion]"
                              f"[data-text='{span}'][data-suggestion='{fix}']").first
        field = "#id_title" if button.get_attribute("data-field") == "title" else "#id_body"
        other = "#id_body" if field == "#id_title" else "#id_title"
        start = int(button.get_attribute("data-start"))
        before, untouched = page.locator(field).input_value(), page.locator(other).input_value()
        assert before[start:start + len(span)] == span  # offsets count code points
        # The findings panel is swapped after the check that the click sets off.
        page.evaluate("document.querySelector('#findings p').dataset.stale = '1'")
        button.click()
        expect(page.locator(field)).to_have_value(before[:start] + fix + before[start + len(span):])
        expect(page.locator(other)).to_have_value(untouched)
        expect(page.locator("#findings p[data-stale]")).to_have_count(0)
    # No button for what has no safe replacement (length, the four elements).
    for label in ("字数", "四要素"):
        rows = page.locator("#findings li", has=page.locator(".tag", has_text=label))
        expect(rows.locator("[data-apply-suggestion]")).to_have_count(0)


def test_counter_counts_like_word_in_the_browser_and_on_the_server(page, demo_site):
    log_in(page, demo_site, "150100")
    page.locator("#nav-articles").click()
    page.get_by_role("link", name="写新稿件").click()
    page.get_by_label("标题").fill(TITLE)
    page.locator("#id_body").fill(PARAGRAPHS[0])
    page.get_by_role("button", name="保存草稿").click()
    text = BODY + "\n\n　　社工 说：\t“很好😊𠀀”\u00a0ok"
    page.locator("#id_body").fill(text)
    n = count_chars(text)
    expect(page.locator("[data-count-for=id_body]")).to_have_text(str(n))
    expect(page.locator("#length-count")).to_contain_text(f"正文 {n} 字")
    expect(page.locator("#body-length")).to_contain_text("要求约500字（350～700字）")
    short = PARAGRAPHS[0] + "\n" + PARAGRAPHS[1]
    page.locator("#id_body").fill(short)
    expect(page.locator("[data-count-for=id_body]")).to_have_text(str(count_chars(short)))
    expect(page.locator("#findings")).to_contain_text(
        f"正文{count_chars(short)}字（不计空格），少于350字；本次活动要求约500字（350～700字）。")
