"""Turning plain brief text into safe HTML: paragraphs, marked spans, word-level diffs."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from campaigndesk.proofing.lexicon import lexicon


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str = ""
    ident: str = ""


def marked(text: str, spans: list[Span], *, focusable: bool = True) -> SafeString:
    """`text` escaped, with each span wrapped in <mark>; overlapping spans after the first
    are dropped, since a mark cannot half-contain another."""
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < pos or span.end <= span.start or span.end > len(text):
            continue
        out.append(escape(text[pos:span.start]))
        # A mark that explains itself can be focused: the Tab key shows what a mouse's
        # hover shows (articles.js; a tap works on any mark). Not in a text the reviewer
        # selects words of: in Chromium a drag that starts on a focusable mark selects nothing.
        shape = ('<mark class="{}" tabindex="0" title="{}" id="{}">{}</mark>'
                 if span.title and focusable
                 else '<mark class="{}" title="{}" id="{}">{}</mark>')
        out.append(format_html(shape, span.css, span.title, span.ident or f"m-{span.start}",
                               text[span.start:span.end]))
        pos = span.end
    out.append(escape(text[pos:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part escaped


def paragraphs(text: str) -> SafeString:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return format_html_join("\n", "<p>{}</p>", ((line,) for line in lines))


@dataclass(frozen=True)
class DiffPart:
    op: str  # "same", "ins", "del"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """Differences by words as jieba cuts them, so a changed word shows whole, not as a
    scatter of single characters."""
    cut = lexicon().lcut
    a, b = cut(old), cut(new)
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("del", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("ins", "".join(b[j1:j2])))
    return parts


def diff_html(parts: list[DiffPart]) -> SafeString:
    tags = {"same": "{}", "ins": "<ins>{}</ins>", "del": "<del>{}</del>"}
    return format_html_join("", "{}", ((format_html(tags[p.op], p.text),) for p in parts))
