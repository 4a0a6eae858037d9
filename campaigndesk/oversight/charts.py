"""Bar and line charts as PNG, drawn with Pillow, for the summary draft (.docx).

No desktop, no matplotlib: Pillow draws the shapes and the text with a CJK font found at
run time (Debian's fonts-noto-cjk, or the file named by CAMPAIGNDESK_CJK_FONT). Without a
CJK font every Chinese label would come out as empty boxes, so we refuse with a clear
message instead of producing such a chart.
"""

from __future__ import annotations

import glob
import io
import os
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
PATTERNS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/*[Hh]ei*",
            "/usr/local/share/fonts/**/*")
COLORS = ("#b71c1c", "#1d4ed8", "#1b7f3b", "#b7791f", "#6b21a8", "#0e7490")
INK, MUTED, GRID = "#1f2933", "#616e7c", "#d9dee4"


class ChartFontMissing(RuntimeError):
    """No font with Chinese glyphs on this server."""


def has_cjk_glyphs(font: ImageFont.FreeTypeFont) -> bool:
    """A font without Chinese draws every CJK character as the same box (or nothing):
    two different characters giving the same bitmap means no glyphs."""
    first, second = font.getmask("社"), font.getmask("工")
    if not first.getbbox() or not second.getbbox():
        return False
    return bytes(first) != bytes(second)


def _load(path: str, size: int) -> ImageFont.FreeTypeFont | None:
    # A .ttc holds several faces; for Noto CJK prefer the Simplified Chinese one (SC).
    faces = range(8) if path.lower().endswith(".ttc") else range(1)
    fallback = None
    for index in faces:
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if not has_cjk_glyphs(font):
            continue
        family = " ".join(font.getname())
        if " SC" in family or "SC " in family or "GB" in family:
            return font
        fallback = fallback or font
    return fallback


@lru_cache(maxsize=16)
def cjk_font(size: int = 20) -> ImageFont.FreeTypeFont:
    configured = os.environ.get("CAMPAIGNDESK_CJK_FONT", "")
    paths = [configured] if configured else []
    paths += list(CANDIDATES)
    for pattern in PATTERNS:
        paths += sorted(glob.glob(pattern, recursive=True))
    for path in dict.fromkeys(paths):
        if path and os.path.isfile(path) and path.lower().endswith((".ttf", ".ttc", ".otf")):
            font = _load(path, size)
            if font is not None:
                return font
    raise ChartFontMissing(
        "找不到中文字体，图表中的汉字会显示为方框：请安装 fonts-noto-cjk"
        "（apt-get install fonts-noto-cjk），或用环境变量 CAMPAIGNDESK_CJK_FONT 指定字体文件")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


TICKS = 4  # grid lines above zero


def _nice_top(value: float, *, whole: bool = True) -> float:
    """The axis top. For counts (`whole`) every grid line is a whole number: a top of 5 for
    a maximum of 3 would label the lines 1.25, 2.5, 3.75 — no one holds 1.25 activities."""
    if whole:
        need = max(int(-(-value // TICKS)), 1)  # the smallest whole step reaching value
        if need <= 5:
            return need * TICKS
        magnitude = 10 ** (len(str(need)) - 1)
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10)
                    if m * magnitude >= need and float(m * magnitude).is_integer())
        return int(step) * TICKS
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def ticks(value: float, *, whole: bool = True) -> list[float]:
    """The values of the grid lines, from 0 to the axis top, for a largest value `value`."""
    top = _nice_top(value, whole=whole)
    return [top * i / TICKS for i in range(TICKS + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _shorten(text: str, font, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _frame(title: str, size: tuple[int, int]):
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((size[0] // 2, 16), title, fill=INK, font=cjk_font(26), anchor="ma")
    return image, draw


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *,
              unit: str = "", size: tuple[int, int] = (1200, 640), whole: bool = True) -> bytes:
    """Horizontal bars: long Chinese unit names stay readable on the left."""
    image, draw = _frame(title, size)
    small, label_font = cjk_font(16), cjk_font(18)
    left, right, top = 260, size[0] - 120, 70
    rows = max(len(labels), 1)
    row_height = (size[1] - top - 30) / rows
    grid = ticks(max(values, default=0), whole=whole)
    top_value = grid[-1]
    for i, tick in enumerate(grid):
        x = left + (right - left) * i / TICKS
        draw.line([(x, top), (x, size[1] - 30)], fill=GRID)
        draw.text((x, size[1] - 26), _number(tick), fill=MUTED, font=small, anchor="ma")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_height
        bar = max(row_height * 0.6, 2)
        draw.text((left - 10, y + row_height / 2), _shorten(str(label), label_font, left - 20),
                  fill=INK, font=label_font, anchor="rm")
        length = (right - left) * (value / top_value if top_value else 0)
        draw.rectangle([left, y + (row_height - bar) / 2, left + length,
                        y + (row_height + bar) / 2], fill=COLORS[0])
        draw.text((left + length + 6, y + row_height / 2), f"{_number(value)}{unit}",
                  fill=INK, font=small, anchor="lm")
    return _png(image)


def line_chart(title: str, labels: Sequence[str], values: Sequence[float], *,
               unit: str = "", size: tuple[int, int] = (1200, 560), whole: bool = True) -> bytes:
    image, draw = _frame(title, size)
    small = cjk_font(16)
    left, right, top, bottom = 90, size[0] - 40, 70, size[1] - 60
    grid = ticks(max(values, default=0), whole=whole)
    top_value = grid[-1]
    for i, tick in enumerate(grid):
        y = bottom - (bottom - top) * i / TICKS
        draw.line([(left, y), (right, y)], fill=GRID)
        draw.text((left - 8, y), _number(tick), fill=MUTED, font=small, anchor="rm")
    count = len(values)
    step = (right - left) / max(count - 1, 1)
    points = [(left + i * step, bottom - (bottom - top) * (v / top_value)) for i, v in
              enumerate(values)]
    if len(points) > 1:
        draw.line(points, fill=COLORS[1], width=4)
    every = max(1, count // 12)  # at most about a dozen date labels
    for i, (x, y) in enumerate(points):
        draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=COLORS[1])
        if i % every == 0 or i == count - 1:
            draw.text((x, bottom + 10), str(labels[i]), fill=MUTED, font=small, anchor="ma")
            draw.text((x, y - 10), f"{_number(values[i])}{unit}", fill=INK, font=small,
                      anchor="md")
    return _png(image)
