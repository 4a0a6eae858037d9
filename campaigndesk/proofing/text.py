"""Small text helpers: character classes, counting and sentence bounds."""

from __future__ import annotations

import re

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SENTENCE_END = "。！？；!?;\n"


def count_han(text: str) -> int:
    """The notice's "500字" counts Chinese characters, so only Han characters are counted."""
    return len(HAN_RE.findall(text))


def nth_han_offset(text: str, n: int) -> int | None:
    """Offset of the n-th (0-based) Han character, or None when there are fewer."""
    for i, m in enumerate(HAN_RE.finditer(text)):
        if i == n:
            return m.start()
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
