"""What leaves the product: WeChat-ready HTML, the magazine .docx, the Word files of the
ministry's package (campaigndesk.ministry.export).

Every photo used here is the stored copy (re-encoded, no EXIF), never the upload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from campaigndesk import officedoc
from campaigndesk.progress.reported import campaign_figures
from campaigndesk.progress.table import fen_to_text

from .models import Article, Channel
from .photos import media_path

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# WeChat's editor drops <style> and classes on paste: every rule must sit on its element.
WECHAT = {
    "section": "margin:0;padding:0 4px;font-size:16px;line-height:1.8;color:#333;"
               "letter-spacing:0.5px;",
    "title": "font-size:20px;font-weight:bold;line-height:1.5;margin:0 0 12px;color:#222;",
    "meta": "font-size:13px;color:#888;margin:0 0 16px;",
    "p": "margin:0 0 14px;text-indent:2em;text-align:justify;",
    "figure": "margin:16px 0;text-align:center;",
    "img": "max-width:100%;height:auto;display:block;margin:0 auto;border-radius:4px;",
    "caption": "font-size:13px;color:#888;margin:6px 0 0;text-align:center;",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def wechat_html(article: Article, absolute: Callable[[str], str]) -> str:
    """A fragment with inline styles only (no <style>, no <script>, no classes).

    Photo addresses are the public /news/ ones once the brief is on the website (WeChat's
    editor fetches them on paste); before that they are the logged-in addresses.
    """
    public = article.publications.filter(channel=Channel.WEBSITE).exists()
    figures = []
    for photo in article.photos.all():
        url = (reverse("news_photo", kwargs={"key": photo.key, "size": "full"}) if public
               else reverse("photo_file", kwargs={"pk": photo.pk, "size": "full"}))
        figures.append(format_html(
            '<p style="{}"><img src="{}" alt="{}" style="{}"></p>'
            '<p style="{}">{}</p>', WECHAT["figure"], absolute(url), photo.caption,
            WECHAT["img"], WECHAT["caption"], photo.caption))
    paragraphs = _lines(article.body)
    # Photos go after the first paragraph, the way briefs are usually laid out.
    head, rest = paragraphs[:1], paragraphs[1:]
    return str(format_html(
        '<section style="{}"><h1 style="{}">{}</h1><p style="{}">{}</p>{}{}{}</section>',
        WECHAT["section"], WECHAT["title"], article.title, WECHAT["meta"],
        f"{article.unit.name}民政局供稿", _paras(head), format_html_join("", "{}",
                                                                        ((f,) for f in figures)),
        _paras(rest)))


def wechat_page(article: Article, fragment: str) -> str:
    """The fragment as a whole page: opens in any browser with its Chinese intact, and its
    body can be copied into the WeChat editor like the fragment on the page."""
    return str(format_html(
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{}</title>\n</head>\n<body style=\"{}\">\n{}\n</body>\n</html>\n",
        article.title, "max-width:677px;margin:0 auto;padding:16px;background:#fff;",
        mark_safe(fragment)))  # noqa: S308 - built by wechat_html, every value escaped


def _paras(lines: list[str]) -> str:
    return format_html_join("", '<p style="{}">{}</p>', ((WECHAT["p"], line) for line in lines))


# Word documents ------------------------------------------------------------------------
# In the department's formats (campaigndesk.officedoc): 方正小标宋 titles, 黑体 headings,
# 仿宋 body, black on A4 — never Word's blue "Title".


def _add_brief(document: Document, article: Article) -> None:
    officedoc.title(document, article.title, style="Heading 1")
    officedoc.para(document, f"{article.unit.name}民政局", font_name=officedoc.CAPTION_FONT,
                   center=True)
    for line in _lines(article.body):
        officedoc.para(document, line).paragraph_format.line_spacing = 1.5
    for photo in article.photos.all():
        path = media_path(photo.relative_path)
        if not path.is_file():
            continue
        width = Cm(14) if photo.width >= photo.height else Cm(9)
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(str(path), width=width)
        officedoc.para(document, photo.caption or "", size=officedoc.NOTE_SIZE,
                       font_name=officedoc.CAPTION_FONT, center=True, style="Caption")


def _page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def brief_docx(article: Article) -> bytes:
    document = officedoc.official_document()
    _add_brief(document, article)
    return officedoc.to_bytes(document)


def magazine_docx(campaign, articles: Iterable[Article]) -> bytes:
    """《内蒙古民政》 compilation: a contents page, then each brief on its own pages.

    The date under the title is the campaign's, not the day of the download."""
    articles = list(articles)
    document = officedoc.official_document()
    officedoc.title(document, f"{campaign.title}稿件汇编")
    officedoc.para(document, "《内蒙古民政》杂志", font_name=officedoc.CAPTION_FONT, center=True)
    when = officedoc.period(campaign.start_date, campaign.end_date)
    officedoc.para(document, f"（活动时间：{when}）", font_name=officedoc.CAPTION_FONT,
                   center=True)
    officedoc.heading(document, "目录", style="Heading 2").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for number, article in enumerate(articles, start=1):
        officedoc.para(document, f"{number}. {article.title}（{article.unit.name}）",
                       indent=False)
    for article in articles:
        _page_break(document)
        _add_brief(document, article)
    return officedoc.to_bytes(document)


def _cell(cell, text: str, width, *, head: bool = False) -> None:
    cell.width = width
    cell.text = ""
    officedoc.font(cell.paragraphs[0].add_run(officedoc.printable(text)),
                   officedoc.HEADING_FONT if head else officedoc.BODY_FONT, 12)


def cover_docx(campaign, articles: list[Article]) -> bytes:
    """The covering list sent with the briefs, dated the day the last one was recommended."""
    document = officedoc.official_document()
    officedoc.title(document, "推荐稿件报送单")
    officedoc.para(document,
                   f"内蒙古自治区民政厅向民政部推荐{campaign.title}宣传稿件 {len(articles)} 篇，"
                   f"附图片原图，供“民政部门户网站”“民政部微信公众号”《中国社会报》"
                   f"《中国社会工作》杂志等选用。")
    units, figures = campaign_figures(campaign)
    officedoc.para(document,
                   f"活动开展情况（各单位已报送的工作进展统计）：{units}个单位报送，开展活动"
                   f"{figures.activities}场，参与{figures.participants}人次，受益"
                   f"{figures.beneficiaries}人次，链接资金{fen_to_text(figures.funds_fen)}元、"
                   f"物资折价{fen_to_text(figures.materials_fen)}元。")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.autofit = False
    widths = [Cm(w) for w in (1.3, 6.2, 3.0, 1.6, 3.5)]  # the 15.6 cm between the margins
    heads = ("序号", "标题", "供稿单位", "照片", "已发布")
    for cell, text, width in zip(table.rows[0].cells, heads, widths, strict=True):
        _cell(cell, text, width, head=True)
    for number, article in enumerate(articles, start=1):
        channels = "、".join(f"{p.get_channel_display()}（{p.date.month}月{p.date.day}日）"
                            for p in article.publications.all()) or "—"
        for cell, text, width in zip(table.add_row().cells,
                                     (str(number), article.title, article.unit.name,
                                      f"{len(article.photos.all())} 张", channels),
                                     widths, strict=True):
            _cell(cell, text, width)
    recommended = [a.recommended_at for a in articles if a.recommended_at]
    day = timezone.localdate(max(recommended)) if recommended else timezone.localdate()
    sign = officedoc.para(document, f"内蒙古自治区民政厅慈善社工处  {officedoc.day(day)}",
                          indent=False)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.space_before = Pt(24)
    return officedoc.to_bytes(document)


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that every unzip tool accepts: no separators or control characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", text).strip(" .")
    return cleaned[:limit] or "稿件"


def attachment(filename: str) -> str:
    """Content-Disposition for a Chinese file name (RFC 6266 filename*)."""
    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(filename)}"
