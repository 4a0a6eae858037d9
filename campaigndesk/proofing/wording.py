"""Fixed formulations (规范表述) from data/wording.tsv.

Three kinds of rule: `regex` (a wrong form; {Q}/{q} stand for an optional opening/closing
quotation mark), `short` (a short name that is wrong only before the full name was given) and
`list` (a fixed list whose members and order are checked wherever the
list is enumerated with 、).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import read_data_lines
from .report import Finding, Severity

_Q = "[“\"‘]?"
_q = "[”\"’]?"
_ENUM = re.compile(r"[^、，。；：:;,\s“”（）()]{1,16}(?:、[^、，。；：:;,\s“”（）()]{1,16}){2,}")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    kind: str
    pattern: re.Pattern[str] | None
    suggestion: str
    severity: Severity
    message: str
    source: str
    literal: str | None = None  # set when the pattern is plain text: a find() beats a regex
    name: str = ""
    items: tuple[str, ...] = ()
    suffix: str = ""


@cache
def rules() -> tuple[Rule, ...]:
    out = []
    for line in read_data_lines("wording.tsv"):
        rid, kind, pattern, suggestion, severity, message, source = line.split("\t")
        sev: Severity = "error" if severity == "error" else "warning"
        if kind == "list":
            # pattern: 名称=项1、项2、…[|后缀]
            name, rest = pattern.split("=", 1)
            items, _, suffix = rest.partition("|")
            out.append(Rule(rid, kind, None, suggestion, sev, message, source, name=name,
                            items=tuple(items.split("、")), suffix=suffix))
        else:
            rx = re.compile(pattern.replace("{Q}", _Q).replace("{q}", _q))
            literal = pattern if re.escape(pattern) == pattern else None
            out.append(Rule(rid, kind, rx, suggestion, sev, message, source, literal))
    return tuple(out)


def _regex_findings(rule: Rule, text: str) -> list[Finding]:
    assert rule.pattern is not None
    if rule.literal is not None and rule.literal not in text:
        return []
    out = []
    for m in rule.pattern.finditer(text):
        if rule.kind == "short" and rule.suggestion in text[:m.start()]:
            continue  # a short name after the full name has been given once is normal usage
        span = m.span("bad") if "bad" in rule.pattern.groupindex else m.span()
        out.append(Finding("wording", rule.severity, span[0], span[1], text[span[0]:span[1]],
                           rule.suggestion or None, rule.message))
    return out


def _stem(item: str, rule: Rule) -> str | None:
    """The canonical member an enumerated item names, if any."""
    for member in rule.items:
        if item == member or item.endswith(member) or item.endswith(member + rule.suffix):
            return member
    if rule.suffix and item.endswith(rule.suffix):
        return ""  # a member of the same shape that is not on the list
    return None


def _span_of_members(m: re.Match[str], parts: list[str], stems: list[str | None],
                     suffix: str) -> tuple[int, int]:
    """From the first to the last enumerated item that belongs to (or mimics) the list."""
    offsets, pos = [], m.start()
    for p in parts:
        pos = m.string.index(p, pos)
        offsets.append((pos, pos + len(p)))
        pos += len(p)
    hits = [(o, p, s) for o, p, s in zip(offsets, parts, stems, strict=True) if s is not None]
    if not hits:
        return m.span()
    (start, end), first, stem = hits[0]
    # "坚定道路自信": the verb before the first member is not part of the list.
    for tail in (stem + suffix, stem) if stem else ():
        if first.endswith(tail):
            start = end - len(tail)
            break
    return start, hits[-1][0][1]


def _list_findings(rule: Rule, text: str, enums: list[re.Match[str]]) -> list[Finding]:
    out = []
    for m in enums:
        raw = m.group().split("、")
        # "和/及/与" often joins the last member: "制度自信和文化自信".
        parts = raw[:-1] + re.split("和|及|与", raw[-1], maxsplit=1)
        stems = [_stem(p, rule) for p in parts]
        known = [s for s in stems if s]
        near = rule.name and rule.name in text[max(0, m.start() - 30): m.end() + 10]
        shaped = rule.suffix and sum(p.endswith(rule.suffix) for p in parts) >= 3
        if len(set(known)) < 2 or not (near or shaped):
            continue
        if len(set(known)) < len(rule.items) - 1 and not shaped:
            continue  # a partial overlap with a generic enumeration, not this list
        canonical = "、".join(i + rule.suffix for i in rule.items)
        # Near the list's name and as long as the list, an unknown item replaces a member.
        whole = near and len(parts) == len(rule.items)
        bad = [p for p, s in zip(parts, stems, strict=True)
               if s == "" or (s is None and (shaped or whole))]
        start, end = _span_of_members(m, parts, stems, rule.suffix)
        if bad:
            out.append(Finding("wording", "error", start, end, text[start:end], canonical,
                               f"“{rule.name}”的内容是{canonical}，“{bad[0]}”不在其中。"))
        elif known != sorted(known, key=rule.items.index) or len(known) != len(set(known)):
            out.append(Finding("wording", rule.severity, start, end, text[start:end],
                               canonical, f"“{rule.name}”的表述顺序应为{canonical}。"))
    return out


def check(text: str) -> list[Finding]:
    out: list[Finding] = []
    enums = list(_ENUM.finditer(text))
    for rule in rules():
        if rule.kind == "list":
            if enums:
                out.extend(_list_findings(rule, text, enums))
        else:
            out.extend(_regex_findings(rule, text))
    return out
