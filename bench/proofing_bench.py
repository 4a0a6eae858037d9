"""Benchmark of the proofreading engine against the issue-4 engine, in the same run.

Run: .venv/bin/python bench/proofing_bench.py [--seconds N]   (also `make bench`)
Prints start-up (a fresh interpreter: import, lexicon, model, indexes) and briefs per second
after start-up on one core, for the engine with the language model and for the same engine
with issue 4's typo check (jieba unigram), and their ratios: on a shared machine the
absolute figures move with the load, the ratios much less.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP = {
    "in context (LM)": "import campaigndesk.proofing as p; p.warm_up()",
    "issue 4 (jieba)": ("import campaigndesk.proofing as p; from campaigndesk.proofing import "
                        "lexicon, typos, wording; lexicon.lexicon(); typos.confusions(); "
                        "wording.rules(); p.check('标题', '正文', legacy_typos=True)"),
}


def startup_seconds(code: str, runs: int = 3) -> float:
    script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return min(times)


def briefs_500() -> list:
    from campaigndesk.proofing.corpus import load_clean

    # Exactly 500 characters each: every clean brief, topped up with the next one's body.
    clean = load_clean()
    out = []
    for i, b in enumerate(clean):
        body = (b.body + "\n" + clean[(i + 1) % len(clean)].body)[: 500 - len(b.title) - 1]
        out.append(type(b)(b.brief_id, b.unit, b.title, body))
    return out


def rate(briefs: list, seconds: float, legacy: bool) -> tuple[float, dict[str, float]]:
    from campaigndesk.proofing import check
    from campaigndesk.proofing.corpus import context_for

    per_cat: dict[str, float] = defaultdict(float)

    def timer(cat, fn):
        t = time.perf_counter()
        out = fn()
        per_cat[cat] += time.perf_counter() - t
        return out

    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        b = briefs[n % len(briefs)]
        check(b.title, b.body, context=context_for(b.unit), timer=timer, legacy_typos=legacy)
        n += 1
    return n / (time.perf_counter() - t0), {k: 1000 * v / n for k, v in per_cat.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=3, help="start-ups measured (the least is kept)")
    args = ap.parse_args()

    from campaigndesk.proofing import warm_up
    from campaigndesk.proofing.lexicon import lexicon

    starts = {name: startup_seconds(code, args.runs) for name, code in STARTUP.items()}
    warm_up()
    lexicon()
    briefs = briefs_500()
    print(f"briefs: {len(briefs)} of 500 characters (title + newline + body), one core")
    rates = {}
    for name, legacy in (("in context (LM)", False), ("issue 4 (jieba)", True)):
        rates[name], cats = rate(briefs, args.seconds, legacy)
        print(f"{name}: start-up {starts[name]:.2f} s; {rates[name]:.0f} briefs/s "
              f"({1000 / rates[name]:.2f} ms per brief); typo {cats['typo']:.2f} ms per brief")
    new, old = rates["in context (LM)"], rates["issue 4 (jieba)"]
    print(f"ratios (LM / issue 4): speed {new / old:.2f}x, "
          f"start-up {starts['in context (LM)'] / starts['issue 4 (jieba)']:.2f}x")


if __name__ == "__main__":
    main()
