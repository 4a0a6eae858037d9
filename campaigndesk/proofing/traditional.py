"""Traditional characters in a simplified-Chinese brief: said once for the whole text.

A brief typed or pasted in traditional characters (達、們、區) would otherwise be read
character by character as typos (18 separate guesses in the outside walk of issue 14, some
wrong); one finding names how many there are, with their simplified forms, and the typo
check leaves those characters alone.
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import read_data_lines
from .report import Finding


@cache
def simplified() -> dict[str, str]:
    """Traditional character → simplified form (data/traditional.tsv, from Unihan)."""
    out = {}
    for line in read_data_lines("traditional.tsv"):
        trad, _, simp = line.rstrip("\n").partition("\t")
        if trad and simp:
            out[trad] = simp
    return out


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def check(text: str) -> tuple[list[Finding], list[tuple[int, int]]]:
    """One finding for all the traditional characters, and the spans for the typo check to
    skip: every run of Chinese characters that holds one (聯合 is a word; its 合 alone would
    be "corrected" to 和)."""
    table = simplified()
    spans = [(i, i + 1) for i, ch in enumerate(text) if ch in table]
    if not spans:
        return [], []
    runs = [m.span() for m in _HAN_RUN.finditer(text)
            if any(ch in table for ch in m.group())]
    seen = list(dict.fromkeys(text[a] for a, _ in spans))
    examples = "、".join(f"{c}→{table[c]}" for c in seen[:6]) + ("等" if len(seen) > 6 else "")
    first = spans[0][0]
    # No suggestion: a one-click change would fix one character of many.
    finding = Finding("typo", "error", first, first + 1, text[first], None,
                      f"稿件含繁体字{len(spans)}个（{examples}），请转换为简体后再提交。",
                      confidence=1.0)
    return [finding], runs
