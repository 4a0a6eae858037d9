"""Benchmark of the proofreading engine: start-up, briefs per second, time per category.

Run: .venv/bin/python bench/proofing_bench.py [--seconds N]
The baseline is jieba's segmentation alone over the same briefs (the least any
dictionary-based checker has to do), printed as a ratio.
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

STARTUP = ("import time; t = time.perf_counter(); import campaigndesk.proofing as p; "
           "p.warm_up(); print(time.perf_counter() - t)")


def startup_seconds(runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()

    from campaigndesk.proofing import check, warm_up
    from campaigndesk.proofing.corpus import context_for, load_clean
    from campaigndesk.proofing.lexicon import lexicon

    print(f"start-up (fresh interpreter, import + every list and dictionary): "
          f"{startup_seconds():.2f} s")
    warm_up()
    # Exactly 500 characters each: every clean brief, topped up with the next one's body.
    clean = load_clean()
    briefs = []
    for i, b in enumerate(clean):
        body = (b.body + "\n" + clean[(i + 1) % len(clean)].body)[: 500 - len(b.title) - 1]
        briefs.append(type(b)(b.brief_id, b.unit, b.title, body))
    print(f"briefs: {len(briefs)} of 500 characters (title + newline + body)")

    per_cat: dict[str, float] = defaultdict(float)

    def timer(cat, fn):
        t = time.perf_counter()
        out = fn()
        per_cat[cat] += time.perf_counter() - t
        return out

    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds:
        b = briefs[n % len(briefs)]
        check(b.title, b.body, context=context_for(b.unit), timer=timer)
        n += 1
    elapsed = time.perf_counter() - t0
    rate = n / elapsed
    print(f"engine: {rate:.0f} briefs/s on one core ({1000 / rate:.2f} ms per brief)")
    print("time per category (ms per brief):")
    for cat, total in sorted(per_cat.items(), key=lambda kv: -kv[1]):
        print(f"  {cat:12s} {1000 * total / n:6.2f}")

    lx = lexicon()
    m, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds / 2:
        b = briefs[m % len(briefs)]
        lx.lcut(b.title + "\n" + b.body)
        m += 1
    base = m / (time.perf_counter() - t0)
    print(f"baseline (jieba segmentation alone): {base:.0f} briefs/s; "
          f"engine takes {base / rate:.1f}x the baseline's time")


if __name__ == "__main__":
    main()
