"""How two characters can be confused: same sound, same sound but another tone, a near
sound (n/l, in/ing, en/eng, an/ang, z/zh, c/ch, s/sh, u/ü), or a similar shape.

Readings are every reading pypinyin knows (射 shè/yè, 长 cháng/zhǎng), so a typo made on a
character's rarer reading is a candidate too; the in-context check only allows the primary
reading when the text as written is itself a well-known word (驻村 is not 驻守).
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import read_data_lines
from .vocab import Vocab, vocab

# Relations, cheapest first; the in-context check charges each its own margin.
SAME, TONE, NEAR, SHAPE = "same", "tone", "near", "shape"
RELATIONS = (SAME, TONE, NEAR, SHAPE)
_NEAR = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"^l"), "n"),
         (re.compile(r"(?<=[aei])ng$"), "n"), (re.compile(r"ing$"), "in"),
         (re.compile(r"v"), "u"))


def toneless(reading: str) -> str:
    return reading.rstrip("012345")


@cache
def near(syllable: str) -> str:
    """The syllable with the distinctions that many writers blur taken away."""
    for rx, repl in _NEAR:
        syllable = rx.sub(repl, syllable)
    return syllable


@cache
def common_chars() -> frozenset[str]:
    return frozenset(c for ln in read_data_lines("common_chars.txt") for c in ln.strip())


@cache
def shapes() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in read_data_lines("shape_neighbours.tsv"):
        ch, _, rest = line.partition("\t")
        out.setdefault(ch, set()).update(rest)
    for line in read_data_lines("same_stroke.txt"):  # pycorrector's groups
        group = [c for c in line.split("\t") if c]
        for c in group:
            out.setdefault(c, set()).update(g for g in group if g != c)
    common = common_chars()
    return {c: frozenset(v & common) for c, v in out.items()}


@cache
def _index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Common characters by toneless reading and by near reading (every reading)."""
    by_sound: dict[str, set[str]] = {}
    by_near: dict[str, set[str]] = {}
    v = vocab()
    for ch in common_chars():
        for r in v.readings.get(ch, ()):
            by_sound.setdefault(toneless(r), set()).add(ch)
            by_near.setdefault(near(toneless(r)), set()).add(ch)
    return by_sound, by_near


def _relations(v: Vocab, ch: str, primary: bool) -> dict[str, str]:
    readings = v.readings.get(ch, [])[:1] if primary else v.readings.get(ch, [])
    by_sound, by_near = _index()
    out: dict[str, str] = {}
    for c in shapes().get(ch, ()):
        out[c] = SHAPE
    for r in readings:
        for c in by_near.get(near(toneless(r)), ()):
            out[c] = NEAR
    for r in readings:
        for c in by_sound.get(toneless(r), ()):
            theirs = v.readings.get(c, ())
            out[c] = SAME if r in theirs else TONE
    out.pop(ch, None)
    return out


@cache
def related(ch: str, primary: bool = False) -> dict[str, str]:
    """Common characters a writer may have meant instead of `ch`, with the relation."""
    return _relations(vocab(), ch, primary)


def word_key(readings: dict[str, list[str]], word: str, loose: bool) -> str | None:
    """The primary-reading pinyin of a word, toneless (and with near sounds merged when
    `loose`): how an input method keys it. None when a character has no reading."""
    out = []
    for ch in word:
        rs = readings.get(ch)
        if not rs:
            return None
        syl = toneless(rs[0])
        out.append(near(syl) if loose else syl)
    return " ".join(out)
