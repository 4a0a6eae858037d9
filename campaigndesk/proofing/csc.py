"""Sentence-level spelling-check (CSC) scoring, as the public test sets are scored.

A sentence pairs the text as written (`source`) with the right text (`target`), of the same
length. A checker's answer for it is the set of positions it would change and the
characters it proposes there:
- detection is right when the positions equal the wrong positions;
- correction is right when, in addition, every proposed character is the right one.
Precision counts over the sentences where the checker changed something, recall over the
sentences with an error; the false-positive rate is the share of correct sentences in
which anything was changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .report import Finding

Checker = Callable[[str], list[Finding]]


@dataclass(frozen=True)
class Sentence:
    sid: str
    source: str
    target: str
    kinds: tuple[str, ...] = ()
    domain: str = "brief"
    part: str = ""

    @property
    def wrong(self) -> dict[int, str]:
        return {i: t for i, (s, t) in enumerate(zip(self.source, self.target, strict=True))
                if s != t}


def load_sentences(path: Path) -> list[Sentence]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if len(d["source"]) != len(d["target"]):
            continue  # not a substitution-only pair: outside the CSC task
        out.append(Sentence(d["id"], d["source"], d["target"], tuple(d.get("kinds") or ()),
                            d.get("domain", "brief"), d.get("part", "")))
    return out


def changes(text: str, findings: Iterable[Finding]) -> dict[int, str]:
    """Positions a checker changes, with the character it proposes ("" when it proposes
    none, or a suggestion of another length: the whole span counts as flagged)."""
    out: dict[int, str] = {}
    for f in findings:
        if f.category != "typo":
            continue
        sugg = f.suggestion
        if sugg is not None and len(sugg) == f.end - f.start:
            for k, ch in enumerate(sugg):
                if text[f.start + k] != ch:
                    out[f.start + k] = ch
        else:
            for p in range(f.start, f.end):
                out.setdefault(p, "")
    return out


@dataclass
class CscScore:
    sentences: int = 0
    wrong: int = 0  # sentences with an error
    flagged: int = 0  # sentences in which the checker changed something
    detected: int = 0  # flagged at exactly the wrong positions
    corrected: int = 0  # …and with the right characters
    false_flags: int = 0  # correct sentences flagged
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [n, detected]
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def detection(self) -> tuple[float, float, float]:
        p = self.detected / self.flagged if self.flagged else 0.0
        r = self.detected / self.wrong if self.wrong else 0.0
        return p, r, self._f1(p, r)

    def correction(self) -> tuple[float, float, float]:
        p = self.corrected / self.flagged if self.flagged else 0.0
        r = self.corrected / self.wrong if self.wrong else 0.0
        return p, r, self._f1(p, r)

    @property
    def fpr(self) -> float:
        correct = self.sentences - self.wrong
        return self.false_flags / correct if correct else 0.0


def score(sentences: Iterable[Sentence], checker: Checker) -> CscScore:
    s = CscScore()
    for sent in sentences:
        got = changes(sent.source, checker(sent.source))
        gold = sent.wrong
        s.sentences += 1
        s.flagged += bool(got)
        if gold:
            s.wrong += 1
            hit = set(got) == set(gold)
            s.detected += hit
            s.corrected += hit and all(got[p] == gold[p] for p in gold)
            for kind in sent.kinds or ("?",):
                row = s.by_kind.setdefault(kind, [0, 0])
                row[0] += 1
                row[1] += hit
            if not hit:
                s.misses.append(f"{sent.sid}\t{_show(sent.source, gold)}\t→ "
                                f"{_show(sent.source, got)}")
        elif got:
            s.false_flags += 1
            s.false.append(f"{sent.sid}\t{_show(sent.source, got)}")
    return s


def _show(text: str, marks: dict[int, str]) -> str:
    return "".join(f"[{c}→{marks[i] or '?'}]" if i in marks else c for i, c in enumerate(text))


def row(name: str, s: CscScore) -> str:
    dp, dr, df = s.detection()
    cp, cr, cf = s.correction()
    return (f"| {name} | {s.sentences} | {s.wrong} | {dp:.3f} | {dr:.3f} | {df:.3f} | "
            f"{cp:.3f} | {cr:.3f} | {cf:.3f} | {s.fpr:.3f} |")


HEADER = ("| set, engine | sentences | with errors | detection P | R | F1 | correction P | R | "
          "F1 | false-positive rate |\n|---|---|---|---|---|---|---|---|---|---|")
