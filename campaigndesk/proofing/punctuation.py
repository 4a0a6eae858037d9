"""Punctuation per GB/T 15834—2011 (标点符号用法)."""

from __future__ import annotations

import re

from .report import Finding

_HAN = r"[\u4e00-\u9fff]"
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# A half-width mark touching Chinese text on either side.
_HALF_RE = re.compile(rf"(?<={_HAN})[,;:?!]|[,;:?!](?={_HAN})|(?<={_HAN})\((?=[^)]*\))"
                      rf"|\((?={_HAN})|(?<={_HAN})\)|\)(?={_HAN})")
_HALF_QUOTE = re.compile(rf"(?<={_HAN})\"|\"(?={_HAN})")
_PERIOD = re.compile(rf"(?<={_HAN})\.(?!\d)")
_DOUBLED = re.compile(r"([，。、；：！？])\1+|[，、；：][。！？]|[。！？][，、；：]")
_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)|…{3,}|……等")
_DASH = re.compile(rf"(?<={_HAN})(?:-{{1,2}}|—(?!—)|－)(?={_HAN})")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〔": "〕"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _f(start: int, end: int, text: str, sugg: str | None, msg: str, sev: str = "error") -> Finding:
    return Finding("punctuation", "error" if sev == "error" else "warning", start, end,
                   text[start:end], sugg, msg)


def _pairs(text: str, out: list[Finding]) -> None:
    # Paragraphs may quote across sentences, so brackets are balanced per line.
    base = 0
    for line in text.split("\n"):
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(line):
            if ch in _PAIRS:
                if ch == "“" and stack and stack[-1][0] == "“":
                    # A second opening quote while one is open: the first was never closed.
                    pos = stack.pop()[1]
                    out.append(_f(base + pos, base + pos + 1, text, None,
                                  "引号不成对：缺少与之对应的后引号。"))
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                else:
                    out.append(_f(base + i, base + i + 1, text, None,
                                  f"标点不成对：“{ch}”缺少对应的“{_CLOSERS[ch]}”。"))
        for ch, pos in stack:
            out.append(_f(base + pos, base + pos + 1, text, None,
                          f"标点不成对：“{ch}”缺少对应的“{_PAIRS[ch]}”。"))
        base += len(line) + 1


# Emoji and pictographs (😊 👍 🎉 ❤️ ✅): common in WeChat posts, not in a brief that the
# department publishes under its name.
# One finding per emoji as the reader sees it: a family (👨‍👩‍👧) is several pictographs
# joined by ZWJ, with skin tones and variation selectors after each.
_EMOJI_ONE = ("[\U0001F000-\U0001FAFF\u2764\u2705\u270C\u270D\u2728]"
              "[\uFE0F\U0001F3FB-\U0001F3FF]*")
_EMOJI = re.compile(f"{_EMOJI_ONE}(?:\u200D{_EMOJI_ONE})*\u200D?")


def check(text: str, title_end: int) -> list[Finding]:
    out: list[Finding] = []
    for m in _EMOJI.finditer(text):
        out.append(_f(m.start(), m.end(), text, "", "正式稿件中不用表情符号。", "warning"))
    for m in _HALF_RE.finditer(text):
        ch = m.group()
        out.append(_f(m.start(), m.end(), text, _HALF[ch],
                      f"中文行文中应使用全角标点“{_HALF[ch]}”，不用半角“{ch}”。"))
    quotes = list(_HALF_QUOTE.finditer(text))
    for n, m in enumerate(quotes):
        sugg = "“" if n % 2 == 0 else "”"
        out.append(_f(m.start(), m.end(), text, sugg, "中文行文中应使用全角引号“”。"))
    for m in _PERIOD.finditer(text):
        out.append(_f(m.start(), m.end(), text, "。", "中文句末应使用句号“。”，不用半角“.”。"))
    for m in _DOUBLED.finditer(text):
        out.append(_f(m.start(), m.end(), text, m.group()[-1] if m.group()[0] == m.group()[-1]
                      else None, "标点重复或连用不当。"))
    for m in _ELLIPSIS.finditer(text):
        if m.group().endswith("等"):
            out.append(_f(m.start(), m.end(), text, "……", "省略号与“等”不连用。", "warning"))
        else:
            out.append(_f(m.start(), m.end(), text, "……", "省略号应为两个“…”组成的“……”。"))
    for m in _DASH.finditer(text):
        out.append(_f(m.start(), m.end(), text, "——", "破折号应为占两个字位置的“——”。"))
    _pairs(text, out)
    title = text[:title_end].rstrip()
    if title.endswith("。"):
        out.append(_f(len(title) - 1, len(title), text, "", "标题末尾不用句号。", "warning"))
    return out
