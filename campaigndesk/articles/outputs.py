"""What leaves the product: WeChat-ready HTML, the magazine .docx, the ministry .zip.

Every photo used here is the stored copy (re-encoded, no EXIF), never the upload.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

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


def _paras(lines: list[str]) -> str:
    return format_html_join("", '<p style="{}">{}</p>', ((WECHAT["p"], line) for line in lines))


# Word documents ------------------------------------------------------------------------


def _new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        style = document.styles[name]
        style.font.name = "Times New Roman"
        # Word picks the East Asian font from its own attribute; without it CJK falls back.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "黑体" if name != "Normal" else "宋体")
    document.styles["Normal"].font.size = Pt(12)
    return document


def _add_brief(document: Document, article: Article, heading_level: int = 1) -> None:
    heading = document.add_heading(article.title, level=heading_level)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0, 0, 0)
    meta = document.add_paragraph(f"{article.unit.name}民政局")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in _lines(article.body):
        para = document.add_paragraph(line)
        para.paragraph_format.first_line_indent = Pt(24)
        para.paragraph_format.line_spacing = 1.5
    for photo in article.photos.all():
        path = media_path(photo.relative_path)
        if not path.is_file():
            continue
        width = Cm(14) if photo.width >= photo.height else Cm(9)
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(str(path), width=width)
        caption = document.add_paragraph(photo.caption or "", style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def brief_docx(article: Article) -> bytes:
    document = _new_document()
    _add_brief(document, article)
    return _bytes(document)


def magazine_docx(campaign, articles: Iterable[Article]) -> bytes:
    """《内蒙古民政》 compilation: a contents page, then each brief on its own pages."""
    articles = list(articles)
    document = _new_document()
    title = document.add_heading(f"{campaign.title}稿件汇编", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"《内蒙古民政》杂志 · {timezone.localdate():%Y年%m月}").alignment = (
        WD_ALIGN_PARAGRAPH.CENTER)
    document.add_heading("目录", level=2)
    for number, article in enumerate(articles, start=1):
        document.add_paragraph(f"{number}. {article.title}（{article.unit.name}）")
    for article in articles:
        _page_break(document)
        _add_brief(document, article)
    return _bytes(document)


def cover_docx(campaign, articles: list[Article]) -> bytes:
    document = _new_document()
    document.add_heading("推荐稿件报送单", level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"内蒙古自治区民政厅向民政部推荐{campaign.title}宣传稿件 {len(articles)} 篇，"
        f"附图片原图，供“民政部门户网站”“民政部微信公众号”《中国社会报》"
        f"《中国社会工作》杂志等选用。")
    units, figures = campaign_figures(campaign)
    document.add_paragraph(
        f"活动开展情况（各单位已报送的工作进展统计）：{units}个单位报送，开展活动"
        f"{figures.activities}场，参与{figures.participants}人次，受益{figures.beneficiaries}"
        f"人次，链接资金{fen_to_text(figures.funds_fen)}元、物资折价"
        f"{fen_to_text(figures.materials_fen)}元。")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "标题", "供稿单位", "照片", "已发布"),
                          strict=True):
        cell.text = text
    for number, article in enumerate(articles, start=1):
        channels = "、".join(f"{p.get_channel_display()}（{p.date:%m月%d日}）"
                            for p in article.publications.all()) or "—"
        for cell, text in zip(table.add_row().cells,
                              (str(number), article.title, article.unit.name,
                               f"{len(article.photos.all())} 张", channels), strict=True):
            cell.text = text
    document.add_paragraph(f"内蒙古自治区民政厅慈善社工处  {timezone.localdate():%Y年%m月%d日}")
    return _bytes(document)


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that every unzip tool accepts: no separators or control characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", text).strip(" .")
    return cleaned[:limit] or "稿件"


def ministry_zip(campaign, articles: list[Article]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("00-推荐稿件报送单.docx", cover_docx(campaign, articles))
        for number, article in enumerate(articles, start=1):
            stem = f"{number:02d}-{safe_name(article.title)}"
            archive.writestr(f"{stem}.docx", brief_docx(article))
            for index, photo in enumerate(article.photos.all(), start=1):
                path = media_path(photo.relative_path)
                if path.is_file():
                    label = safe_name(photo.caption, 30) if photo.caption else "照片"
                    # JPEGs are already compressed; storing them saves time for nothing lost.
                    archive.write(path, f"{stem}-照片/{index:02d}-{label}.jpg",
                                  compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def attachment(filename: str) -> str:
    """Content-Disposition for a Chinese file name (RFC 6266 filename*)."""
    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(filename)}"
