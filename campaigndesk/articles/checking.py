"""Running the proofreading engine on a brief with everything the product knows about it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace

from django.utils import timezone

from campaigndesk.proofing import Context, Finding, Report, check
from campaigndesk.proofing.length import bounds_text
from campaigndesk.proofing.report import ELEMENT_KINDS

# The reporter's four element fields, in the engine's order.
ELEMENT_FIELDS = dict(zip(ELEMENT_KINDS, ("time_text", "place_text", "recipients_text",
                                          "participants_text"), strict=True))


def context_for(campaign, unit, activity=None) -> Context:
    figures = {}
    if activity is not None:
        figures = {"participants": activity.participants,
                   "beneficiaries": activity.beneficiaries,
                   "funds_yuan": activity.funds_fen / 100,
                   "goods_yuan": activity.materials_fen / 100}
    return Context(
        campaign_start=campaign.start_date,
        campaign_end=campaign.end_date,
        today=timezone.localdate(),
        unit_code=unit.code,
        unit_name=unit.name,
        activity_start=getattr(activity, "start_date", None),
        activity_end=getattr(activity, "end_date", None),
        activity_place=(getattr(activity, "location", "") or None),
        activity_figures=figures,
        min_length=campaign.brief_min_length,
        max_length=campaign.brief_max_length,
        target_length=campaign.brief_length,
        vocabulary=campaign_vocabulary(campaign, unit, activity),
    )


def campaign_vocabulary(campaign, unit, activity=None) -> tuple[str, ...]:
    """The campaign's own words for the proofreader: its lists (宣传内容, 服务领域, 五社
    elements…), its theme, the unit's and the activity's names. Phrases are split at
    punctuation; the engine keeps the Chinese words of 2–8 characters."""
    import re

    texts = [item.label for item in campaign.vocabulary_items.all()]
    texts += [campaign.title, campaign.slogan, unit.name]
    if activity is not None:
        texts += [getattr(activity, "location", "") or "", getattr(activity, "title", "") or ""]
    words = (w for t in texts for w in re.split(r"[^\u4e00-\u9fff]+", t or ""))
    return tuple(dict.fromkeys(w for w in words if 2 <= len(w) <= 8))


def length_bounds(campaign) -> str:
    """"约500字（350～700字）" for this campaign."""
    return bounds_text(Context(min_length=campaign.brief_min_length,
                               max_length=campaign.brief_max_length,
                               target_length=campaign.brief_length))


ELEMENT_LABELS = {"time_text": "时间", "place_text": "地点", "recipients_text": "服务对象",
                  "participants_text": "参与人员"}
# The fields hold 200 characters; a prefilled list was cut there, its last part mid-word.
ELEMENT_MAX = 200
# A field lists its values as the prefill writes them (甲、乙) or as people type them.
_PARTS = re.compile(r"[、，,；;/\s]+")


def proofread(title: str, body: str, *, campaign, unit, activity=None,
              elements: Mapping[str, str] | None = None) -> Report:
    """``elements``: the four element fields as stored (or as typed on the page), each
    checked against the text (stale_elements)."""
    report = check(title, body, context=context_for(campaign, unit, activity))
    report = far_too_short(report, campaign.brief_min_length)
    if elements:
        report = replace(report, findings=[*report.findings,
                                           *stale_elements(title, body, elements)])
    return report


def _comparable(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def stale_elements(title: str, body: str, elements: Mapping[str, str]) -> list[Finding]:
    """An error for each element field holding a value the title and body no longer
    contain. The fields are prefilled once; a reporter who then changed the body (3月27日
    for 3月20日) sent the old values, which the reviewer and the ministry's package read
    as the facts. Like any error it blocks submission until corrected or explained."""
    text = _comparable(f"{title}\n{body}")
    # On the title's span, as the engine's 缺少要素 is: the pages list it under 全文.
    end = max(len(title), 1)
    shown = f"{title}\n{body}"[:end]
    out = []
    for name, label in ELEMENT_LABELS.items():
        value = (elements.get(name) or "").strip()
        parts = [p for p in _PARTS.split(value) if p]
        if len(value) >= ELEMENT_MAX:
            parts = parts[:-1]
        missing = [p for p in dict.fromkeys(parts) if _comparable(p) not in text]
        if missing:
            out.append(Finding("element", "error", 0, end, shown, None,
                               f"四要素“{label}”填写的“{'、'.join(missing)}”在正文中找不到，"
                               "请核对。"))
    return out


# The engine only hints at a short body. A body under a third of the campaign's minimum is
# not a brief that wants polishing but one that is not written yet (a 17-character line
# was submitted with only that hint), so it counts as an error here, like a missing
# element: it must be written out, or the reporter says why not.
SHORT_FRACTION = 3


def far_too_short(report: Report, min_length: int) -> Report:
    """The report with its length hint made an error when the body is under a third of
    `min_length`."""
    if report.length * SHORT_FRACTION >= min_length:
        return report
    findings = [replace(f, severity="error",
                        message=f.message + "正文不到下限的三分之一，须补写，或在报送时写明理由。")
                if f.category == "length" and f.severity == "warning" else f
                for f in report.findings]
    return replace(report, findings=findings)


def proofread_article(article) -> Report:
    return proofread(article.title, article.body, campaign=article.campaign,
                     unit=article.unit, activity=article.activity,
                     elements=article_elements(article))


def article_elements(article) -> dict[str, str]:
    return {name: getattr(article, name) for name in ELEMENT_LABELS}


def suggested_elements(report: Report) -> dict[str, str]:
    """{field name: "甲、乙"} from what the engine found, vague mentions left out."""
    found = {}
    for kind, name in ELEMENT_FIELDS.items():
        texts = [m.text for m in report.elements.get(kind, []) if not m.vague]
        found[name] = "、".join(dict.fromkeys(texts))[:200]
    return found


def findings_json(report: Report) -> list[dict]:
    return [f.to_dict() for f in report.findings]
