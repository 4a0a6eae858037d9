"""The proofreading report as the writing page shows it: highlighted text, one button per
suggestion, the four elements the engine found."""

from __future__ import annotations

from campaigndesk.proofing import Finding, Report

from .checking import suggested_elements
from .display import Span, marked

CATEGORY_LABELS = {"length": "字数", "element": "四要素", "typo": "错别字", "wording": "规范表述",
                   "sensitive": "敏感词", "punctuation": "标点", "number": "数字"}
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}


def one_click_fix(f: Finding, field_text: str, start: int, end: int) -> str | None:
    """The replacement a button may make, or None when there is no safe one: a fix edits
    exactly the finding's span in one field (never a span that runs from the title into the
    body, never a whole-field span such as a missing element, never an empty span)."""
    if f.suggestion is None or f.suggestion == f.text:
        return None
    if not (0 <= start < end <= len(field_text)) or field_text[start:end] != f.text:
        return None
    return f.suggestion


def evidence(f: Finding | dict) -> str:
    """"把握 87%；语言模型评分 原文 −9.4 / 改后 −7.3" for a guess of the language model,
    "把握 95%" for a list's match, "" for a rule (which is certain). Takes a Finding or the
    dict a submitted version keeps."""
    get = f.get if isinstance(f, dict) else lambda k, d=None: getattr(f, k, d)
    confidence = get("confidence", 1.0)
    written, suggested = get("score_written"), get("score_suggested")
    if confidence is None or (confidence >= 1.0 and written is None):
        return ""
    text = f"把握 {confidence:.1%}" if confidence > 0.99 else f"把握 {confidence:.0%}"
    if written is not None and suggested is not None:
        text += f"；语言模型评分 原文 {written:.1f} / 改后 {suggested:.1f}"
    return text


def findings_context(report: Report, length_bounds: str = "") -> dict:
    """Offsets of the engine are into title + "\\n" + body; here each finding is placed in
    the field it belongs to, with offsets local to that field, for the apply button."""
    offset = len(report.title) + 1
    items, spans = [], []
    for index, f in enumerate(report.findings):
        in_body = f.start >= offset
        start = f.start - offset if in_body else f.start
        end = f.end - offset if in_body else f.end
        field_text = report.body if in_body else report.title
        item = {
            "index": index,
            "field": "body" if in_body else "title",
            "start": start,
            "end": end,
            "text": f.text,
            "fix": one_click_fix(f, field_text, start, end),
            "suggestion": f.suggestion,
            "message": f.message,
            "evidence": evidence(f),
            "severity": f.severity,
            "severity_label": SEVERITY_LABELS.get(f.severity, f.severity),
            "category_label": CATEGORY_LABELS.get(f.category, f.category),
            # A whole-body span (too short, missing element) is listed, not highlighted.
            "highlight": in_body and f.category != "length" and end - start <= 40,
        }
        items.append(item)
        if item["highlight"]:
            spans.append(Span(start, end, f"finding finding-{f.severity}",
                              f.message + (f" 建议：{f.suggestion}" if f.suggestion else ""),
                              f"finding-{index}"))
    return {
        "findings": items,
        "errors": sum(1 for i in items if i["severity"] == "error"),
        "warnings": sum(1 for i in items if i["severity"] == "warning"),
        "length": report.length,
        "length_bounds": length_bounds,
        "preview": marked(report.body, spans),
        "elements": [(name, value) for name, value in suggested_elements(report).items()],
    }
