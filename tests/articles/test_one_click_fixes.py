"""Issue 13 point 2: a suggestion changes only its own span, in the field it belongs to, and
a finding without a safe replacement has no button. Every finding kind is tried."""

import html
import re
import re._parser as sre  # the standard library's regex parser, to write an example per rule

import pytest
from django.urls import reverse

from campaigndesk.articles.findings import findings_context
from campaigndesk.proofing import Context, check, sensitive, wording

from .conftest import BODY

pytestmark = pytest.mark.django_db

# The span and replacement of a finding of every kind that has a safe one…
FIXABLE = {
    "typo": ("对像", "对象"),
    "wording": ("习总书记", "习近平总书记"),
    "wording, span narrowed to its bad part": ("总书记", "同志"),
    "wording, a fixed list in the wrong order": ("文化自信、道路自信、理论自信、制度自信",
                                               "道路自信、理论自信、制度自信、文化自信"),
    "wording, a short name": ("土左旗民政局", "土默特左旗民政局"),
    "sensitive": ("残疾人士", "残疾人"),
    "half-width comma": (",", "，"),
    "emoji": ("😊", ""),
    "doubled stop": ("。。", "。"),
    "ellipsis": ("...", "……"),
    "thousands separator": ("1,200", "1200"),
    "short year": ("22年", "2022年"),
    "percent range": ("10-20%", "10%—20%"),
}
SENTENCES = [
    "本次活动的服务对像为辖区老年人。",
    "活动认真学习了习总书记的重要讲话。",
    "紧密团结在以习近平总书记为核心的党中央周围，坚定“四个自信”：文化自信、道路自信、"
    "理论自信、制度自信。",
    "土左旗民政局派员参加。",
    "社工为残疾人士😊提供服务。。",
    "现场为老年人提供,政策咨询、心理疏导等等...",
    "发放宣传折页1,200份，覆盖率提高10-20%。",
    "据统计，22年3月18日以来共开展活动5次。",
]
TITLE_WITH_PERIOD = "赛罕区开展社会工作主题宣传活动。"


def buttons(page: str) -> list[dict]:
    found = re.findall(r"<button[^>]*data-apply-suggestion([^>]*)>([^<]*)</button>", page)
    out = []
    for attrs, label in found:
        values = dict(re.findall(r'data-(\w+)="([^"]*)"', attrs))
        out.append({k: html.unescape(v) for k, v in values.items()} | {"label": label})
    return out


def apply(fields: dict, button: dict) -> dict:
    """What articles.js does with one button (offsets are code points; Python's are too)."""
    field = fields[button["field"]]
    start, text = int(button["start"]), button["text"]
    assert field[start:start + len(text)] == text, button
    return {**fields, button["field"]: field[:start] + button["suggestion"]
            + field[start + len(text):]}


def test_every_button_edits_exactly_its_span(draft, personas, as_user):
    client = as_user(personas["reporter"])
    url = reverse("article_check", kwargs={"pk": draft.pk})
    fields = {"title": TITLE_WITH_PERIOD, "body": BODY + "\n" + "\n".join(SENTENCES)}
    page = client.post(url, fields, HTTP_HX_REQUEST="true").content.decode()
    offered = buttons(page)
    by_text = {b["text"]: b for b in offered}
    for kind, (span, suggestion) in FIXABLE.items():
        assert span in by_text, (kind, sorted(by_text))
        assert by_text[span]["suggestion"] == suggestion, (kind, by_text[span])
    assert by_text["。"]["field"] == "title" and by_text["。"]["label"] == "删除“。”"
    assert by_text["😊"]["label"] == "删除“😊”"
    for button in offered:
        after = apply(fields, button)
        other = "body" if button["field"] == "title" else "title"
        assert after[other] == fields[other], button  # the other field is untouched
        start = int(button["start"])
        old, new = fields[button["field"]], after[button["field"]]
        assert new[:start] == old[:start]
        assert new[start + len(button["suggestion"]):] == old[start + len(button["text"]):]
        # Checked again, the finding is gone from that place.
        again = check(after["title"], after["body"])
        offset = 0 if button["field"] == "title" else len(after["title"].strip()) + 1
        assert not any(f.start == offset + start and f.text == button["text"]
                       for f in again.findings), button


def test_the_place_hint_has_no_button_and_never_replaces_the_title():
    """The linked activity's place is missing from the text: shown on the title, it once
    came with 改为“敕勒川公园” and a click replaced the whole title by the place."""
    title = "赛罕区开展社会工作主题宣传活动"
    report = check(title, BODY, context=Context(activity_place="敕勒川公园"))
    (item,) = [i for i in findings_context(report)["findings"] if "敕勒川公园" in i["message"]]
    assert item["fix"] is None and item["field"] == "title"


def test_findings_without_a_safe_replacement_have_no_button():
    body = ("近日，我市社工为老年人开展服务。3千元物资已发放，约200余人参加。"
            "2月30日社工入户走访。")
    context = Context(unit_code="150100", min_length=350)
    report = check("包头市开展活动", body, context=context)
    items = findings_context(report)["findings"]
    kinds = {i["category_label"] for i in items}
    assert {"字数", "四要素", "数字"} <= kinds
    for item in items:
        if item["category_label"] in ("字数", "四要素") or "不存在" in item["message"] \
                or "混用" in item["message"] or "概数" in item["message"]:
            assert item["fix"] is None, item


# Every fixed-formulation rule and every sensitive word with a suggestion, on an example ---

def example(pattern: str) -> str | None:
    """The shortest text the pattern matches, ignoring look-arounds (None when the parser
    meets something this small writer does not know)."""

    def walk(items) -> str:
        out = []
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(arg))
            elif name == "IN":
                first = arg[0]
                if str(first[0]) == "NEGATE":
                    out.append("字")
                elif str(first[0]) == "RANGE":
                    out.append(chr(first[1][0]))
                elif str(first[0]) == "LITERAL":
                    out.append(chr(first[1]))
                else:
                    raise ValueError(name)
            elif name == "BRANCH":
                out.append(walk(arg[1][0]))
            elif name == "SUBPATTERN":
                out.append(walk(arg[3]))
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                low, _, body = arg
                out.append(walk(body) * max(low, 0))
            elif name in ("ASSERT", "ASSERT_NOT", "AT"):
                continue
            else:
                raise ValueError(name)
        return "".join(out)

    try:
        return walk(sre.parse(pattern))
    except ValueError:
        return None


def doubled_at(text: str, at: int) -> bool:
    """A word written twice across offset `at` (重要重要, 同志同志)."""
    return any(text[at - k:at] == text[at:at + k] for k in range(2, 7) if at - k >= 0)


def test_every_wording_and_sensitive_suggestion_reads_right_in_place():
    cases = []
    for rule in wording.rules():
        if rule.kind == "list" or not rule.suggestion:
            continue
        sample = example(rule.pattern.pattern)
        if sample and rule.pattern.search(sample):
            cases.append(("为" + sample + "而努力。", rule.message))
    entries, _ = sensitive._matcher(())
    cases += [(f"社工看望{e.word}。", None) for e in entries if e.suggestion]
    assert len(cases) > 150
    checked = 0
    for text, message in cases:
        for f in check("标题", text).findings:
            if f.suggestion is None or f.category not in ("wording", "sensitive") or (
                    message and f.message != message):
                continue
            full = "标题\n" + text
            fixed = full[:f.start] + f.suggestion + full[f.end:]
            end = f.start + len(f.suggestion)
            assert not (doubled_at(fixed, f.start) and not doubled_at(full, f.start)), (
                text, f.suggestion)
            assert not (doubled_at(fixed, end) and not doubled_at(full, f.end)), (
                text, f.suggestion)
            checked += 1
    assert checked > 150
