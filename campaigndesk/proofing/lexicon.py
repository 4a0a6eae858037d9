"""Word frequencies and character confusions, loaded once on first use.

jieba's bundled dictionary (MIT) is the frequency source; data/domain_words.txt adds the
campaign's own vocabulary (社工站, 五社联动, 嘎查 …) so those words are not taken for typos.
We use a private `jieba.Tokenizer` so adding words never changes jieba's global state.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import places

DATA = Path(__file__).with_name("data")
_lock = threading.Lock()


def read_data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass
class Lexicon:
    tokenizer: object  # jieba.Tokenizer
    freq: dict[str, int]
    log_total: float
    common: frozenset[str]
    confusable: dict[str, frozenset[str]]  # char → chars that look alike or share a toneless sound
    strict: dict[str, frozenset[str]]  # char → chars that look alike or share sound and tone
    # "对*" → {"象": 4511, ...}: words of 2–4 characters with one position masked, so one
    # lookup tells which replacements of that position make a known word.
    masked: dict[str, dict[str, int]]

    def lcut(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=False)  # type: ignore[attr-defined]


def _domain_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in read_data_lines("domain_words.txt"):
        word, *rest = line.split()
        out[word] = int(rest[0]) if rest else 2000
    for name in places.all_place_names():
        out.setdefault(name, 1000)
    return out


def _confusables(common: frozenset[str], tones: bool) -> dict[str, frozenset[str]]:
    # Same sound is judged on each character's primary reading only: secondary readings
    # (射 as yè, 长 as zhǎng…) made too many far-fetched candidates.
    conf: dict[str, set[str]] = defaultdict(set)
    by_sound: dict[str, set[str]] = defaultdict(set)
    for line in read_data_lines("char_pinyin.tsv"):
        ch, reading = line.split("\t")
        by_sound[reading if tones else reading.rstrip("012345")].add(ch)
    for group in by_sound.values():
        for c in group:
            conf[c].update(group - {c})
    for line in read_data_lines("same_stroke.txt"):
        group = [c for c in line.split("\t") if c]
        for c in group:
            conf[c].update(g for g in group if g != c and g in common)
    return {c: frozenset(v) for c, v in conf.items()}


MIN_MASKED_FREQ = 20  # rarer dictionary words are too often themselves misspellings


def _masked(freq: dict[str, int], common: frozenset[str]) -> dict[str, dict[str, int]]:
    masked: dict[str, dict[str, int]] = defaultdict(dict)
    for w, f in freq.items():
        if f < MIN_MASKED_FREQ or not 2 <= len(w) <= 4:
            continue
        for i, c in enumerate(w):
            if c in common:
                masked[w[:i] + "*" + w[i + 1:]][c] = f
    return dict(masked)


@cache
def _build() -> Lexicon:
    import jieba  # imported here so `import campaigndesk.proofing` stays cheap

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    domain = _domain_words()
    for w, f in domain.items():
        tok.add_word(w, freq=max(f, tok.FREQ.get(w, 0) or 0))
    freq = {w: f for w, f in tok.FREQ.items() if f}
    common = frozenset(c for ln in read_data_lines("common_chars.txt") for c in ln.strip())
    return Lexicon(
        tokenizer=tok,
        freq=freq,
        log_total=math.log(tok.total),
        common=common,
        confusable=_confusables(common, tones=False),
        strict=_confusables(common, tones=True),
        masked=_masked(freq, common),
    )


def lexicon() -> Lexicon:
    with _lock:
        return _build()
