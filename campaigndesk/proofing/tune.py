"""Choose the in-context check's margins on the project's own sentences (developer tool).

`python -m campaigndesk.proofing.tune` scores every candidate of the tuning part of
corpus/csc_sentences.jsonl once, then moves one margin at a time (steps of 0.25) to the
value with the best sentence-level detection F1 while at most MAX_FPR of the correct
sentences are flagged, until nothing improves; it prints the table to paste into
`incontext.MARGINS` and the scores on the "check" part, which it never tuned on.
The held-out set (heldout/) is never read here.
"""

from __future__ import annotations

import sys

from . import csc, incontext
from .corpus import CORPUS

MAX_FPR = 0.02  # below the 5 %: what is tuned on looks better than what is not
STEPS = [x / 4 for x in range(0, 37)]


def _scored(part: str) -> tuple[list[csc.Sentence], dict[str, tuple[list, list]]]:
    sents = [s for s in csc.load_sentences(CORPUS / "csc_sentences.jsonl") if s.part == part]
    return sents, {s.source: incontext.candidates(s.source) for s in sents}


def _evaluate(sents: list[csc.Sentence], cands: dict[str, tuple[list, list]]) -> csc.CscScore:
    def checker(src: str) -> list:
        found, guesses = cands[src]
        return found + [incontext._finding(g) for g in incontext.decide(guesses)]

    return csc.score(sents, checker)


def _objective(s: csc.CscScore) -> float:
    return s.detection()[2] - (10.0 if s.fpr > MAX_FPR else 0.0)


def tune() -> dict[tuple[str, str], float]:
    sents, cands = _scored("tuning")
    margins = incontext.MARGINS
    best = _objective(_evaluate(sents, cands))
    improved = True
    while improved:
        improved = False
        for key in list(margins):
            start = margins[key]
            for value in STEPS:
                margins[key] = value
                got = _objective(_evaluate(sents, cands))
                # Ties go to the higher margin: fewer guesses for the same score.
                if got > best + 1e-9 or (abs(got - best) < 1e-9 and value > start):
                    best, start, improved = got, value, improved or got > best + 1e-9
            margins[key] = start
    return dict(margins)


def main() -> int:
    margins = tune()
    sys.stdout.write("MARGINS = {\n" + "".join(
        f"    {k!r}: {v},\n" for k, v in margins.items()) + "}\n")
    sys.stdout.write(csc.HEADER + "\n")
    for part in ("tuning", "check"):
        sents, cands = _scored(part)
        sys.stdout.write(csc.row(f"corpus/{part}", _evaluate(sents, cands)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
