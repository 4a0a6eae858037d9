"""Runs every check over one brief and assembles the report."""

from __future__ import annotations

from collections.abc import Callable

from . import (
    elements,
    incontext,
    length,
    numbers,
    punctuation,
    sensitive,
    traditional,
    typos,
    wording,
)
from .lm import ModelMissing
from .report import CATEGORIES, Context, Finding, Report
from .text import count_chars, overlaps

# Called around each category by the benchmark; None in normal use.
Timer = Callable[[str, Callable[[], list[Finding]]], list[Finding]]


def _plain(_: str, fn: Callable[[], list[Finding]]) -> list[Finding]:
    return fn()


def warm_up() -> None:
    """Load every list, the lexicon and the language model now rather than on the first
    brief; raises `lm.ModelMissing` when the model is not installed."""
    incontext.warm_up()
    typos.confusions()
    wording.rules()
    check("标题", "正文")


def check(title: str, body: str, *, context: Context | None = None,
          timer: Timer | None = None, legacy_typos: bool = False) -> Report:
    """Every check over one brief. `legacy_typos`: the typo check of issue 4 (jieba's
    unigram frequencies) instead of the language model, kept as the measured baseline."""
    title = title.strip()
    text = title + "\n" + body
    run = timer or _plain
    body_start = len(title) + 1
    found: dict[str, list[Finding]] = {}
    found["length"] = run("length", lambda: length.check(text, body_start, context))
    mentions: dict = {}

    def _elements() -> list[Finding]:
        m, f = elements.check(text, len(title), context)
        mentions.update(m)
        return f

    found["element"] = run("element", _elements)
    found["wording"] = run("wording", lambda: wording.check(text))
    found["sensitive"] = run("sensitive", lambda: sensitive.check(text, context))
    taken = [(f.start, f.end) for k in ("wording", "sensitive") for f in found[k]]
    found["typo"] = run("typo", lambda: _legacy_typos(text, taken) if legacy_typos
                        else _typos(text, taken, context))
    found["punctuation"] = run("punctuation", lambda: punctuation.check(text, len(title)))
    found["number"] = run("number", lambda: numbers.check(text, context))
    # One finding per span and rule: a span two rules (or two routes of one rule) reach
    # is listed once.
    findings = list({(f.category, f.start, f.end, f.message): f
                     for c in CATEGORIES for f in found.get(c, [])}.values())
    findings.sort(key=lambda f: (f.start, f.end, CATEGORIES.index(f.category)))
    return Report(title, body, count_chars(body), mentions, findings)


def _legacy_typos(text: str, taken: list[tuple[int, int]]) -> list[Finding]:
    return [f for f in typos.check(text, taken)
            if not any(overlaps((f.start, f.end), t) for t in taken)]


def _typos(text: str, taken: list[tuple[int, int]], context: Context | None) -> list[Finding]:
    script, skip = traditional.check(text)
    try:
        found = incontext.check(text, taken + skip, context.vocabulary if context else ())
    except ModelMissing as exc:
        # Said on the brief itself, not swallowed: without the model no typo was checked.
        return [Finding("typo", "error", 0, min(len(text), 1), text[:1], None,
                        f"错别字检查未能进行：{exc}", confidence=0.0)]
    # A span already explained by a wording or sensitive rule is not also a typo.
    return script + [f for f in found if not any(overlaps((f.start, f.end), t)
                                                 for t in taken + skip)]
