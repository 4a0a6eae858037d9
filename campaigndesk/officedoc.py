"""The department's document formats for every .docx the product writes.

As in its own documents (GB/T 9704 as the model): title in 方正小标宋简体 二号 (22 pt),
headings in 黑体 三号 (16 pt), body in 仿宋_GB2312 三号 (16 pt) with a two-character first-line
indent, everything black on A4. python-docx's template would otherwise give Word's blue
"Title" with a rule under it and blue bold headings in the theme's Latin fonts.

Fonts are set twice on purpose: on the styles (so a paragraph added in Word later looks the
same, and the navigation pane still sees the headings) and on each run (WPS and older Word
honour run fonts over style fonts more reliably). East Asian text takes its font from
w:eastAsia, not from the Latin name, so both are set.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from campaigndesk.core.characters import printable

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
CAPTION_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_SIZE, HEADING_SIZE, BODY_SIZE, NOTE_SIZE = 22, 16, 16, 12
BLACK = RGBColor(0, 0, 0)


def _fonts(rpr, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    # Theme fonts (asciiTheme="majorHAnsi" …) win over named ones: drop them.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), name)


def font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = BLACK
    _fonts(run._element.get_or_add_rPr(), name)


def _restyle(document, style_name: str, name: str, size: float, *, bold: bool = False,
             center: bool = False) -> None:
    style = document.styles[style_name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK  # also drops the theme colour
    _fonts(style.element.get_or_add_rPr(), name)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the Title's blue rule
        ppr.remove(border)
    if center:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.space_after = Pt(6)


def official_document() -> Document:
    """A blank A4 document with the department's styles (margins as GB/T 9704)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _restyle(document, "Normal", BODY_FONT, BODY_SIZE)
    _restyle(document, "Title", TITLE_FONT, TITLE_SIZE, center=True)
    _restyle(document, "Heading 1", TITLE_FONT, TITLE_SIZE, center=True)
    _restyle(document, "Heading 2", HEADING_FONT, HEADING_SIZE)
    _restyle(document, "Caption", CAPTION_FONT, NOTE_SIZE, center=True)
    return document


def para(document, text: str, *, size: float = BODY_SIZE, font_name: str = BODY_FONT,
         bold: bool = False, center: bool = False, indent: bool = True,
         style: str | None = None):
    """One paragraph of one run in the given format (body text by default)."""
    paragraph = document.add_paragraph(style=style)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    # python-docx refuses control characters (ValueError); stored text may hold them.
    font(paragraph.add_run(printable(text)), font_name, size, bold)
    return paragraph


def title(document, text: str, style: str = "Title"):
    return para(document, text, size=TITLE_SIZE, font_name=TITLE_FONT, center=True,
                style=style)


def heading(document, text: str, *, style: str | None = None):
    return para(document, text, size=HEADING_SIZE, font_name=HEADING_FONT, style=style)


def day(value: date) -> str:
    """2022年3月17日: no leading zeros, as dates are written in documents."""
    return f"{value.year}年{value.month}月{value.day}日"


def period(start: date, end: date) -> str:
    """2022年3月17日至3月31日 (the year once when both days are in the same year)."""
    tail = day(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{day(start)}至{tail}"


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
