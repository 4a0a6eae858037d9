"""Choose the in-context check's margins on the tuning material (developer tool).

`python -m campaigndesk.proofing.tune` scores every candidate once on all the tuning
material — the tuning sentences a helper wrote (tuning/sentences.jsonl), the tuning briefs
(tuning/briefs.jsonl) and the corpus's clean tuning briefs (c01–c40), cut into sentences;
the generated tuning part of corpus/csc_sentences.jsonl only when there is none of that —
then moves one margin at a time (steps of 0.25) to the value with the best
sentence-level detection F1 while at most MAX_FPR of the correct sentences are flagged,
until nothing improves. It prints the table to paste into `incontext.MARGINS` and the
scores per set, and those on the corpus's "check" part, which it never tunes on.
`--calibrate` prints how often reported guesses were right by how far they cleared their
margin: the table behind `incontext.CALIBRATION` (the confidence a finding shows).
The held-out sets (heldout/, heldout2/) are never read here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from . import csc, incontext
from .corpus import CORPUS, load_clean

TUNING = Path(__file__).with_name("tuning")
# Below the 5 %: what is tuned on looks better than what is not.
MAX_FPR = 0.02
STEPS = [x / 4 for x in range(0, 37)]
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])|\n")


def cut(sid: str, src: str, tgt: str, errors: list[dict]) -> list[csc.Sentence]:
    """A whole brief cut into sentences at 。！？； and line breaks; a typo substitution keeps
    the length, so the written and the right text are cut at the same places."""
    out: list[csc.Sentence] = []
    pos = 0
    for k, piece in enumerate(_SENTENCE_END.split(src)):
        a, b = pos, pos + len(piece)
        pos = b + (1 if src[b:b + 1] == "\n" else 0)
        if len(piece.strip()) < 4:
            continue
        kinds = tuple(e["kind"] for e in errors if a <= e["start"] < b)
        out.append(csc.Sentence(f"{sid}.{k}", piece, tgt[a:b], kinds, "brief"))
    return out


def brief_sentences(path: Path) -> list[csc.Sentence]:
    out: list[csc.Sentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out += cut(d["id"], d["source_body"], d["target_body"], d["errors"])
    return out


def tuning_sets() -> list[tuple[str, list[csc.Sentence]]]:
    own = csc.load_sentences(CORPUS / "csc_sentences.jsonl")
    sets = [("corpus tuning", [s for s in own if s.part == "tuning"])]
    if (TUNING / "sentences.jsonl").is_file():
        sets.append(("tuning sentences", csc.load_sentences(TUNING / "sentences.jsonl")))
    if (TUNING / "briefs.jsonl").is_file():
        sets.append(("tuning briefs, by sentence", brief_sentences(TUNING / "briefs.jsonl")))
    # The corpus's clean briefs (tuning part): correct text only, for the false alarms.
    clean = [s for b in load_clean() if b.part == "tuning" for s in cut(b.brief_id, b.body,
                                                                         b.body, [])]
    sets.append(("clean corpus briefs (c01–c40), by sentence", clean))
    return sets


def _scored(sents: list[csc.Sentence]) -> dict[str, tuple[list, list]]:
    return {s.source: incontext.candidates(s.source) for s in sents}


def _evaluate(sents: list[csc.Sentence], cands: dict[str, tuple[list, list]]) -> csc.CscScore:
    def checker(src: str) -> list:
        found, guesses = cands[src]
        return found + [incontext._finding(g) for g in incontext.decide(guesses)]

    return csc.score(sents, checker)


def _objective(s: csc.CscScore) -> float:
    return s.detection()[2] - (10.0 if s.fpr > MAX_FPR else 0.0)


def tune(sents: list[csc.Sentence]) -> dict[tuple[str, str], float]:
    cands = _scored(sents)
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


CALIBRATION_BINS = (0.0, 1.5, 2.0, 3.0, 99.0)


def calibration(sets: list[tuple[str, list[csc.Sentence]]]) -> list[tuple[float, int, int]]:
    """For each bin of how far a reported guess's gain cleared its margin: (floor, guesses,
    right ones), a right one being at a wrong position with the right character."""
    counts = {lo: [0, 0] for lo in CALIBRATION_BINS[:-1]}
    for _, part in sets:
        for sent in part:
            gold = sent.wrong
            for g in incontext.decide(incontext.candidates(sent.source)[1]):
                ok = any(g.start <= p < g.end and g.suggestion[p - g.start] == gold[p]
                         for p in gold)
                lo = max(b for b in CALIBRATION_BINS[:-1] if g.gain >= b)
                counts[lo][0] += 1
                counts[lo][1] += ok
    return [(lo, n, k) for lo, (n, k) in counts.items()]


def main(argv: list[str] | None = None) -> int:
    sets = tuning_sets()
    if argv and "--calibrate" in argv:
        written = [(n, p) for n, p in sets if not n.startswith("corpus tuning")]
        for lo, n, k in calibration(written):
            sys.stdout.write(f"gain over margin >= {lo}: {k}/{n} right\n")
        return 0
    # Tuned on what people wrote (tuning/); the corpus's generated errors only where there
    # is nothing else. Both corpus parts are then reported as a check.
    written = [part for name, part in sets if not name.startswith("corpus tuning")]
    everything = [s for part in (written or [sets[0][1]]) for s in part]
    check = [s for s in csc.load_sentences(CORPUS / "csc_sentences.jsonl") if s.part == "check"]
    sys.stdout.write(csc.HEADER + "\n")
    for name, part in [*sets, ("corpus check (not tuned on)", check)]:
        sys.stdout.write(csc.row(f"{name}, before", _evaluate(part, _scored(part))) + "\n")
    if argv and "--report" in argv:
        return 0
    margins = tune(everything)
    sys.stdout.write("MARGINS = {\n" + "".join(
        f"    {k!r}: {v},\n" for k, v in margins.items()) + "}\n")
    for name, part in [*sets, ("corpus check (not tuned on)", check)]:
        sys.stdout.write(csc.row(f"{name}, after", _evaluate(part, _scored(part))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
