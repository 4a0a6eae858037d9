"""Small text helpers: character classes, counting and sentence bounds."""

from __future__ import annotations

import re
import unicodedata

from campaigndesk.core.characters import without_invisible

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SENTENCE_END = "。！？；!?;\n"


# What WPS and Word leave out of 字数 (字符数，不计空格): spaces of every width, tabs and line
# breaks. Spelled out rather than \s so that the browser's counter (articles.js, SPACE) can
# use the very same class: Python's and JavaScript's \s differ on U+FEFF, U+180E and U+001C-1F.
SPACE_RE = re.compile("[ \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
                      "\u205f\u3000\ufeff]")


def canonical(text: str) -> str:
    """The one form a brief's text is kept and measured in: LF line breaks (a browser's form
    sends CRLF, an HTML page shows CRLF as one character) and NFC (a decomposed character
    would count as two), without invisible characters (zero-width, soft hyphen, BOM, bidi
    controls: they hide typos and reverse text; campaigndesk/core/characters.py). Offsets of
    findings and comments are code points into this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = without_invisible(text.replace("\u2029", "\n").replace("\x00", ""))
    return unicodedata.normalize("NFC", text)


def count_chars(text: str) -> int:
    """字数 as WPS/Word count it: every character except spaces, tabs and line breaks."""
    return len(text) - len(SPACE_RE.findall(text))


def nth_counted_offset(text: str, n: int) -> int | None:
    """Offset of the n-th (0-based) counted character, or None when there are fewer."""
    seen = 0
    for i, ch in enumerate(text):
        if SPACE_RE.match(ch):
            continue
        if seen == n:
            return i
        seen += 1
    return None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between end marks or line breaks) around text[start:end]."""
    left = start
    while left > 0 and text[left - 1] not in SENTENCE_END:
        left -= 1
    right = end
    while right < len(text) and text[right - 1 : right] not in SENTENCE_END:
        right += 1
    return left, min(right, len(text))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
