"""The proofreading findings as the pages show them: where each is (标题, 第N段, 全文), the
highlighted title and body, one button per suggestion, one line per repeated hint.

The writing page reads a fresh report, the reviewer's page the findings a version kept
when it was submitted; both are placed here the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from campaigndesk.proofing import Report

from .checking import suggested_elements
from .display import Span, marked

CATEGORY_LABELS = {"length": "字数", "element": "四要素", "typo": "错别字", "wording": "规范表述",
                   "sensitive": "敏感词", "punctuation": "标点", "number": "数字"}
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}
# Longer spans are listed but not highlighted: a mark over half a paragraph hides more
# than it shows.
LONGEST_MARK = 40


def one_click_fix(f: Mapping, field_text: str, start: int, end: int) -> str | None:
    """The replacement a button may make, or None when there is no safe one: a fix edits
    exactly the finding's span in one field (never a span that runs from the title into the
    body, never a whole-field span such as a missing element, never an empty span)."""
    suggestion, text = f.get("suggestion"), f.get("text")
    if suggestion is None or suggestion == text:
        return None
    if not (0 <= start < end <= len(field_text)) or field_text[start:end] != text:
        return None
    return suggestion


def evidence(f: Mapping | object) -> str:
    """"把握 87%；语言模型评分 原文 −9.4 / 改后 −7.3" for a guess of the language model,
    "把握 95%" for a list's match, "" for a rule (which is certain). Takes a Finding or the
    dict a submitted version keeps."""
    get = f.get if isinstance(f, Mapping) else lambda k, d=None: getattr(f, k, d)
    confidence = get("confidence", 1.0)
    written, suggested = get("score_written"), get("score_suggested")
    if confidence is None or (confidence >= 1.0 and written is None):
        return ""
    text = f"把握 {confidence:.1%}" if confidence > 0.99 else f"把握 {confidence:.0%}"
    if written is not None and suggested is not None:
        text += f"；语言模型评分 原文 {written:.1f} / 改后 {suggested:.1f}"
    return text


def paragraph_number(body: str, offset: int) -> int:
    """第N段 of a body offset, counting the non-blank lines as the pages show paragraphs."""
    return sum(1 for line in body[:offset].split("\n")[:-1] if line.strip()) + 1


def _whole(f: Mapping, title: str) -> bool:
    """A finding about the brief as a whole: its length, or a missing element (the engine
    puts those on the title's span, having no words of their own to point at)."""
    if f.get("category") == "length":
        return True
    return (f.get("category") == "element" and f.get("start") == 0
            and f.get("end") == max(len(title), 1))


def place(f: Mapping, title: str, body: str) -> dict:
    """The field, field-local offsets and the label of one finding (engine offsets count
    in title + "\\n" + body)."""
    offset = len(title) + 1
    start, end = int(f.get("start") or 0), int(f.get("end") or 0)
    if _whole(f, title):
        return {"field": "body" if f.get("category") == "length" else "title",
                "start": start - offset if start >= offset else start,
                "end": end - offset if start >= offset else end,
                "where": "正文" if f.get("category") == "length" else "全文", "marked": False}
    in_body = start >= offset
    field, field_text = ("body", body) if in_body else ("title", title)
    local_start, local_end = (start - offset, end - offset) if in_body else (start, end)
    fits = (0 <= local_start < local_end <= len(field_text)
            and local_end - local_start <= LONGEST_MARK
            and field_text[local_start:local_end] == f.get("text"))
    return {"field": field, "start": local_start, "end": local_end,
            "where": f"第{paragraph_number(body, local_start)}段" if in_body else "标题",
            "marked": fits}


def placed_findings(findings: Iterable[Mapping], title: str, body: str) -> dict:
    """The list's lines and the marks of the title and the body.

    A hint without a button that comes back word for word (地点“X”不在报送单位的辖区内 for
    each mention of X) is one line with its count and every place, each a link to its
    mark; a finding with a button keeps its own line, since the button edits one place."""
    items: list[dict] = []
    grouped: dict[tuple, dict] = {}
    title_spans: list[Span] = []
    body_spans: list[Span] = []
    for index, f in enumerate(findings):
        where = place(f, title, body)
        field_text = body if where["field"] == "body" else title
        fix = None if not where["marked"] else one_click_fix(f, field_text, where["start"],
                                                             where["end"])
        anchor = f"finding-{index}" if where["marked"] else ""
        if anchor:
            spans = body_spans if where["field"] == "body" else title_spans
            # Overlapping words get one mark (marked() keeps the first): link to that one.
            over = next((s for s in spans if s.start < where["end"] and where["start"] < s.end),
                        None)
            if over is not None:
                anchor = over.ident
            else:
                tip = f["message"] + (f" 建议：{f['suggestion']}" if f.get("suggestion") else "")
                spans.append(Span(where["start"], where["end"],
                                  f"finding finding-{f.get('severity')}", tip, anchor))
        spot = {"label": where["where"], "anchor": anchor}
        key = (f.get("category"), f.get("severity"), f.get("message"))
        if fix is None and not _whole(f, title) and key in grouped:
            group = grouped[key]
            group["count"] += 1
            # 第4段 once, linking to its first mention: the count says how many there are.
            if all(p["label"] != spot["label"] for p in group["places"]):
                group["places"].append(spot)
            continue
        item = {
            "index": index,
            "field": where["field"],
            "start": where["start"],
            "end": where["end"],
            "text": f.get("text"),
            "fix": fix,
            "suggestion": f.get("suggestion"),
            "message": f.get("message"),
            "evidence": evidence(f),
            "severity": f.get("severity"),
            "severity_label": SEVERITY_LABELS.get(f.get("severity"), f.get("severity")),
            "category_label": CATEGORY_LABELS.get(f.get("category"), f.get("category")),
            "highlight": where["marked"],
            "anchor": anchor,
            "places": [spot],
            "count": 1,
        }
        items.append(item)
        if fix is None and not _whole(f, title):
            grouped[key] = item
    return {"items": items, "title_spans": title_spans, "body_spans": body_spans}


def findings_context(report: Report, length_bounds: str = "") -> dict:
    """The writing page's panel for a fresh report."""
    placed = placed_findings([f.to_dict() for f in report.findings], report.title,
                             report.body)
    return {
        "findings": placed["items"],
        "fixes": True,  # the writing page's buttons; the reviewer's page has none
        "errors": sum(1 for f in report.findings if f.severity == "error"),
        "warnings": sum(1 for f in report.findings if f.severity == "warning"),
        "length": report.length,
        "length_bounds": length_bounds,
        "title_preview": marked(report.title, placed["title_spans"]),
        "preview": marked(report.body, placed["body_spans"]),
        "elements": [(name, value) for name, value in suggested_elements(report).items()],
    }
