"""Prohibited or careless expressions, from data/sensitive.tsv plus the department's additions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick_rs

from .lexicon import DATA
from .report import Context, Finding, Severity


@dataclass(frozen=True)
class Entry:
    word: str
    severity: Severity
    suggestion: str | None
    exceptions: tuple[str, ...]


def _parse(text: str) -> list[Entry]:
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 4
        word, sev, sugg, exc = (c.strip() for c in cols[:4])
        out.append(Entry(word, "warning" if sev == "warning" else "error", sugg or None,
                         tuple(e for e in exc.split(",") if e)))
    return out


@cache
def _bundled() -> tuple[Entry, ...]:
    return tuple(_parse((DATA / "sensitive.tsv").read_text(encoding="utf-8")))


@cache
def _matcher(extra: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ahocorasick_rs.AhoCorasick]:
    entries: dict[str, Entry] = {e.word: e for e in _bundled()}
    entries.update({e.word: e for e in extra})
    ordered = tuple(entries.values())
    ac = ahocorasick_rs.AhoCorasick([e.word for e in ordered],
                                    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return ordered, ac


def _extra(context: Context | None) -> tuple[Entry, ...]:
    if context is None:
        return ()
    extra = [Entry(w, "error", None, ()) for w in context.extra_sensitive if w]
    if context.sensitive_file:
        extra.extend(_parse(Path(context.sensitive_file).read_text(encoding="utf-8")))
    return tuple(extra)


def _excepted(text: str, start: int, end: int, entry: Entry) -> bool:
    for exc in entry.exceptions:
        i = exc.find(entry.word)
        lo = start - i
        if lo >= 0 and text[lo:lo + len(exc)] == exc:
            return True
    return False


def check(text: str, context: Context | None = None) -> list[Finding]:
    entries, ac = _matcher(_extra(context))
    out = []
    for idx, start, end in ac.find_matches_as_indexes(text):
        e = entries[idx]
        if _excepted(text, start, end, e):
            continue
        hint = f"，建议改为“{e.suggestion}”" if e.suggestion else "，建议删改"
        out.append(Finding("sensitive", e.severity, start, end, text[start:end], e.suggestion,
                           f"不当或慎用表述“{e.word}”{hint}。"))
    return out
