"""Score the engine on the labelled corpus: `python -m campaigndesk.proofing.evaluate`.

A finding is a true positive when it has the label's category and its span overlaps the
label's span. Findings on clean briefs are all false alarms; findings on injected briefs that
match no label count against precision as well.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field

from . import check, warm_up
from .corpus import Case, context_for, load_cases, load_clean
from .report import CATEGORIES, Finding


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)  # findings matching a label
    fp: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)  # labels found
    labels: Counter[str] = field(default_factory=Counter)
    clean_chars: int = 0
    clean_alarms: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def precision(self, cat: str | None = None) -> float | None:
        tp = sum(self.tp.values()) if cat is None else self.tp[cat]
        fp = sum(self.fp.values()) if cat is None else self.fp[cat]
        return tp / (tp + fp) if tp + fp else None

    def recall(self, key: str | None = None) -> float | None:
        if key is None:
            n, f = sum(self.labels.values()), sum(self.found.values())
        else:
            n, f = self.labels[key], self.found[key]
        return f / n if n else None

    @property
    def alarms_per_1000(self) -> float:
        return 1000 * self.clean_alarms / self.clean_chars if self.clean_chars else 0.0


def _hit(f: Finding, case: Case) -> bool:
    return any(f.category == lab.category and f.start < max(lab.end, lab.start + 1)
               and lab.start < f.end for lab in case.labels)


def evaluate(part: str) -> Score:
    s = Score()
    for b in load_clean():
        if b.part != part:
            continue
        r = check(b.title, b.body, context=context_for(b.unit))
        s.clean_chars += len(b.title) + 1 + len(b.body)
        s.clean_alarms += len(r.findings)
        for f in r.findings:
            s.fp[f.category] += 1
            s.false.append(f"{b.brief_id}\t{f.category}\t{f.text[:20]}\t{f.message}")
    for case in load_cases():
        if case.part != part:
            continue
        r = check(case.title, case.body, context=context_for(case.unit, case.context))
        for f in r.findings:
            if _hit(f, case):
                s.tp[f.category] += 1
            else:
                s.fp[f.category] += 1
                s.false.append(f"{case.case_id}\t{f.category}\t{f.text[:20]}\t{f.message}")
        for lab in case.labels:
            keys = [lab.category] + ([f"typo:{lab.kind}"] if lab.kind else [])
            ok = any(f.category == lab.category and f.start < max(lab.end, lab.start + 1)
                     and lab.start < f.end for f in r.findings)
            for k in keys:
                s.labels[k] += 1
                s.found[k] += ok
            if not ok:
                s.misses.append(f"{case.case_id}\t{lab.category}\t{lab.text[:20]}")
    return s


def _fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:.3f}"


def table(scores: dict[str, Score]) -> str:
    parts = list(scores)
    head = "| category | " + " | ".join(f"{p} P | {p} R | {p} n" for p in parts) + " |"
    rows = [head, "|" + "---|" * (1 + 3 * len(parts))]
    for cat in CATEGORIES:
        cells = []
        for p in parts:
            sc = scores[p]
            cells += [_fmt(sc.precision(cat)), _fmt(sc.recall(cat)), str(sc.labels[cat])]
        rows.append(f"| {cat} | " + " | ".join(cells) + " |")
    for key, name in (("typo:listed", "typo, listed"), ("typo:unlisted", "typo, not listed")):
        cells = []
        for p in parts:
            cells += ["", _fmt(scores[p].recall(key)), str(scores[p].labels[key])]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = []
    for p in parts:
        cells += [_fmt(scores[p].precision()), _fmt(scores[p].recall()),
                  str(sum(scores[p].labels.values()))]
    rows.append("| **all** | " + " | ".join(cells) + " |")
    alarms = ", ".join(f"{p}: {scores[p].alarms_per_1000:.2f} per 1,000 characters "
                       f"({scores[p].clean_alarms} in {scores[p].clean_chars})" for p in parts)
    return "\n".join(rows) + f"\n\nFalse alarms on clean briefs — {alarms}\n"


TARGETS = (
    ("recall, listed typos", lambda s: s.recall("typo:listed"), 0.95),
    ("recall, wording rules", lambda s: s.recall("wording"), 0.95),
    ("recall, typos not listed", lambda s: s.recall("typo:unlisted"), 0.70),
    ("precision, overall", lambda s: s.precision(), 0.90),
)


def meets_targets(s: Score) -> list[str]:
    """The issue's targets that a score misses (empty when all are met)."""
    out = [f"{name} {fn(s) or 0:.3f} < {goal}" for name, fn, goal in TARGETS
           if (fn(s) or 0) < goal]
    if s.alarms_per_1000 >= 0.5:
        out.append(f"false alarms {s.alarms_per_1000:.2f} per 1,000 ≥ 0.5")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", choices=["tuning", "held-out", "both"], default="both")
    ap.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    ap.add_argument("--corpus-only", action="store_true",
                    help="only the labelled corpus of issue 4, not the sentence-level sets")
    args = ap.parse_args(argv)
    warm_up()
    parts = ["tuning", "held-out"] if args.part == "both" else [args.part]
    scores = {p: evaluate(p) for p in parts}
    sys.stdout.write("== 1. The project's labelled corpus (issue 4), whole engine ==\n")
    sys.stdout.write(table(scores))
    for p, sc in scores.items():
        missed = meets_targets(sc)
        sys.stdout.write(f"{p}: " + ("all targets met" if not missed else
                                     "targets missed: " + "; ".join(missed)) + "\n")
        if args.verbose:
            sys.stdout.write("\n".join(["-- misses"] + sc.misses + ["-- false"] + sc.false)
                             + "\n")
    if not args.corpus_only:
        from .heldout_eval import report

        sys.stdout.write(report(verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
