"""Sentence-level figures, the in-context engine beside the issue-4 engine (jieba unigram),
on the project's own sentences (corpus/csc_sentences.jsonl: tuning part, and the "check"
part never tuned on) and on the held-out set an independent helper wrote (heldout/: read
only here, to score; never looked at or tuned on; heldout2/ likewise, written for the second
round), plus their whole briefs and the tuning sentences and briefs other helpers wrote for
calibration (tuning/).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import check, csc, incontext, typos
from .corpus import CORPUS, context_for
from .report import Finding

HELDOUT = Path(__file__).with_name("heldout")
# A second held-out set, written in the second round by another helper, and scored
# once when that round's engine was done (heldout/ had been scored in the first round).
HELDOUT2 = Path(__file__).with_name("heldout2")
HELDOUTS = (("held-out", HELDOUT), ("held-out 2", HELDOUT2))
TUNING = Path(__file__).with_name("tuning")  # calibration briefs (branch wip-tuneset)
ENGINES: dict[str, Callable[[str], list[Finding]]] = {
    "in context (LM)": lambda text: incontext.check(text),
    "issue 4 (jieba unigram)": lambda text: typos.check(text),
}


def _sentence_sets() -> list[tuple[str, list[csc.Sentence]]]:
    own = csc.load_sentences(CORPUS / "csc_sentences.jsonl")
    sets = [("corpus tuning", [s for s in own if s.part == "tuning"]),
            ("corpus check", [s for s in own if s.part == "check"])]
    if (TUNING / "sentences.jsonl").is_file():  # tuned on: an upper bound, like the corpus
        sets.append(("tuning sentences", csc.load_sentences(TUNING / "sentences.jsonl")))
    for label, folder in HELDOUTS:
        path = folder / "sentences.jsonl"
        if path.is_file():
            held = csc.load_sentences(path)
            sets.append((f"{label}, all", held))
            for domain in sorted({s.domain for s in held}):
                sets.append((f"{label}, {domain}", [s for s in held if s.domain == domain]))
    return sets


@dataclass
class BriefScore:
    errors: int = 0
    found: int = 0
    flagged: int = 0  # typo findings, errors and warnings alike
    right: int = 0  # typo findings on an error
    clean_chars: int = 0  # body characters of the error-free briefs
    clean_errors: int = 0  # typo findings of error severity on the error-free briefs
    clean_warnings: int = 0  # typo warnings there (shown to the user: alarms too)
    chars: int = 0  # body characters of all briefs
    false: int = 0  # typo findings on no error, in any brief (the measure before issue 14's
    # tuning round, kept to compare with the earlier README figure)

    def line(self, name: str) -> str:
        r = self.found / self.errors if self.errors else 0.0
        p = self.right / self.flagged if self.flagged else 0.0
        shown = self.clean_errors + self.clean_warnings
        per = 5000 * shown / self.clean_chars if self.clean_chars else 0.0
        per_err = 5000 * self.clean_errors / self.clean_chars if self.clean_chars else 0.0
        return (f"| {name} | {self.errors} | {r:.3f} | {p:.3f} | {self.clean_chars} | "
                f"{shown} ({self.clean_errors} errors) | {per:.2f} ({per_err:.2f}) | "
                f"{self.false} | {5000 * self.false / max(1, self.chars):.2f} |")


BRIEF_HEADER = [
    "| set, engine | typos | recall | precision | clean characters | false alarms on "
    "clean briefs | per 5,000 clean characters (errors only) | false alarms in all briefs | "
    "per 5,000 characters of all briefs |",
    "|---|---|---|---|---|---|---|---|---|"]


def brief_score(path: Path, engine: str) -> BriefScore:
    """Whole briefs through the whole engine, typo findings only. A finding counts as found
    when it overlaps a labelled typo; false alarms are counted on the error-free briefs,
    warnings included (the brief page shows them as 提示)."""
    s = BriefScore()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        title, body = d["title"].strip(), d["source_body"]
        off = len(title) + 1
        spans = [(e["start"] + off, e["end"] + off) for e in d.get("errors", [])]
        if engine == "in context (LM)":
            # No unit: the set's unit field need not be a division code.
            found = [f for f in check(title, body, context=context_for("")).findings
                     if f.category == "typo"]
        else:
            found = typos.check(title + "\n" + body)
        s.errors += len(spans)
        s.chars += len(body)
        s.found += sum(any(f.start < e and a < f.end for f in found) for a, e in spans)
        if not spans:
            s.clean_chars += len(body)
            s.clean_errors += sum(f.severity == "error" for f in found)
            s.clean_warnings += sum(f.severity != "error" for f in found)
        for f in found:
            s.flagged += 1
            on = any(f.start < e and a < f.end for a, e in spans)
            s.right += on
            s.false += not on
    return s


def report(verbose: bool = False) -> str:
    incontext.warm_up()
    out = ["", "== 2. Sentence-level spelling check (CSC metrics) ==", csc.HEADER]
    details = []
    for name, sents in _sentence_sets():
        for engine, fn in ENGINES.items():
            sc = csc.score(sents, fn)
            out.append(csc.row(f"{name}, {engine}", sc))
            if verbose and engine == "in context (LM)":
                details += [f"-- {name}: misses"] + sc.misses + [f"-- {name}: false"] + sc.false
    for _, folder in HELDOUTS:
        if not (folder / "sentences.jsonl").is_file():
            out.append(f"(held-out set {folder.name}/sentences.jsonl not present)")
    out += ["", "== 3. Whole briefs: typos (tuning/ is for calibration, heldout/ for figures) ==",
            *BRIEF_HEADER]
    briefs = [("tuning", TUNING / "briefs.jsonl")] + [
        (label, folder / "briefs.jsonl") for label, folder in HELDOUTS]
    for name, path in briefs:
        for engine in ENGINES:
            out.append(brief_score(path, engine).line(f"{name}, {engine}") if path.is_file()
                       else f"({path} not present)")
    return "\n".join(out + details) + "\n"
