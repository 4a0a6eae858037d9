"""Wrong characters: a curated confusion list, then candidates outside the list.

Outside the list, a character that jieba leaves on its own (or inside a rare word) is tried
against characters that sound or look alike; when a replacement turns the neighbourhood into a
much more probable segmentation under jieba's word frequencies, it is reported as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick_rs

from .lexicon import Lexicon, lexicon, read_data_lines
from .names import protected_spans
from .report import Finding

# Gain in log-probability of the best segmentation that a replacement must bring.
MIN_GAIN = 6.0
MIN_WORD_FREQ = 50  # the corrected word must be at least this common in jieba's dictionary
TONE_SLIP_FREQ = 1000
RARE_WORD = 5  # dictionary words this rare are tried as possible misspellings
RARE_RATIO = 100  # …when a look-alike word is this many times more common
_SEGMENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Confusions:
    wrong: tuple[str, ...]
    right: tuple[str, ...]
    automaton: ahocorasick_rs.AhoCorasick


@cache
def confusions() -> Confusions:
    pairs: dict[str, str] = {}
    for line in read_data_lines("confusions.tsv"):
        wrong, right, *_ = line.split("\t")
        pairs.setdefault(wrong, right)
    wrong = tuple(pairs)
    return Confusions(
        wrong, tuple(pairs.values()),
        ahocorasick_rs.AhoCorasick(wrong, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest),
    )


def _segments(text: str) -> list[tuple[int, str, list[str]]]:
    """Runs of Chinese characters with their jieba tokens (segmented once, used twice)."""
    lx = lexicon()
    return [(m.start(), m.group(), lx.lcut(m.group())) for m in _SEGMENT.finditer(text)]


def _boundaries(text: str, segments: list[tuple[int, str, list[str]]]) -> set[int]:
    """Offsets where jieba puts a word boundary, over the whole text."""
    cuts = {0, len(text)}
    for pos, _, toks in segments:
        cuts.add(pos)
        for tok in toks:
            pos += len(tok)
            cuts.add(pos)
    return cuts


def listed(text: str, cuts: set[int] | None = None) -> list[Finding]:
    conf = confusions()
    cuts = cuts if cuts is not None else _boundaries(text, _segments(text))
    out = []
    for idx, start, end in conf.automaton.find_matches_as_indexes(text):
        # "合实" inside "结合实际" cuts across the words 结合 and 实际: when the match does not
        # sit on word boundaries, keep it only if the correction reads better.
        if (start not in cuts or end not in cuts) and not _reads_better(
                text, start, end, conf.right[idx]):
            continue
        out.append(Finding("typo", "error", start, end, text[start:end], conf.right[idx],
                           f"错别字：“{text[start:end]}”应为“{conf.right[idx]}”。"))
    return out


def _reads_better(text: str, start: int, end: int, right: str) -> bool:
    lx = lexicon()
    lo, hi = max(0, start - 3), min(len(text), end + 3)
    before = _best_logp(lx, text[lo:hi])
    after = _best_logp(lx, text[lo:start] + right + text[end:hi])
    return after > before


def _best_logp(lx: Lexicon, s: str) -> float:
    """Log-probability of the best segmentation of s (jieba's unigram model)."""
    n = len(s)
    best = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        top = -1e9
        for j in range(i + 1, min(n, i + 5) + 1):
            f = lx.freq.get(s[i:j])
            if f is None:
                if j > i + 1:
                    continue
                f = 1
            score = _log(f) - lx.log_total + best[j]
            if score > top:
                top = score
        best[i] = top
    return best[0]


@cache
def _log(f: int) -> float:
    import math

    return math.log(f)


def _candidates_at(lx: Lexicon, seg: str, i: int,
                  cuts: set[int]) -> list[tuple[float, str, int, int]]:
    """(gain, corrected window, window start, window end) for replacing seg[i]."""
    ch = seg[i]
    loose = lx.confusable.get(ch, frozenset())
    strict = lx.strict.get(ch, frozenset())
    if not loose:
        return []
    out = []
    for size in (2, 3, 4):
        for a in range(max(0, i - size + 1), min(i, len(seg) - size) + 1):
            b = a + size
            if a not in cuts or b not in cuts:
                continue  # the window would split a word jieba recognised
            key = seg[a:i] + "*" + seg[i + 1:b]
            hits = lx.masked.get(key)
            if not hits:
                continue
            for c, f in hits.items():
                # Two-character words are easy to hit by chance: a tone slip is only believed
                # when the corrected word is common.
                ok = c in strict or (c in loose and (size > 2 or f >= TONE_SLIP_FREQ))
                if not ok or f < MIN_WORD_FREQ:
                    continue
                if lx.freq.get(seg[a:b], 0) * RARE_RATIO > f:
                    continue  # the original is itself a reasonably common word
                lo, hi = max(0, a - 2), min(len(seg), b + 2)
                before = _best_logp(lx, seg[lo:hi])
                after = _best_logp(lx, seg[lo:i] + c + seg[i + 1:hi])
                out.append((after - before, seg[a:i] + c + seg[i + 1:b], a, b))
    return out


def outside_list(text: str, skip: list[tuple[int, int]],
                 segments: list[tuple[int, str, list[str]]] | None = None) -> list[Finding]:
    lx = lexicon()
    blocked = set()
    for s, e in protected_spans(text) + skip:
        blocked.update(range(s, e))
    out: list[Finding] = []
    for base, seg, toks in segments if segments is not None else _segments(text):
        pos = 0
        suspects: list[int] = []
        cuts = {0}
        for tok in toks:
            if len(tok) == 1 or (len(tok) <= 4 and lx.freq.get(tok, 0) <= RARE_WORD):
                suspects.extend(range(pos, pos + len(tok)))
            pos += len(tok)
            cuts.add(pos)
        last_end = -1
        for i in suspects:
            if base + i in blocked or base + i < last_end:
                continue
            cands = _candidates_at(lx, seg, i, cuts)
            if not cands:
                continue
            gain, word, a, b = max(cands)
            if gain < MIN_GAIN:
                continue
            start, end = base + a, base + b
            out.append(Finding("typo", "warning", start, end, text[start:end], word,
                               f"疑似错别字：“{text[start:end]}”可能应为“{word}”。"))
            last_end = end
    return out


def check(text: str, skip: list[tuple[int, int]] | None = None) -> list[Finding]:
    segments = _segments(text)
    found = listed(text, _boundaries(text, segments))
    spans = [(f.start, f.end) for f in found] + (skip or [])
    return found + outside_list(text, spans, segments)

