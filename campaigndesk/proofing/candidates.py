"""The correction targets and the indexes that find them (built once, cached with the
lexicon by `vocab.tables`).

A target is a word a writer may have meant: a model word that wordfreq or the model itself
finds common enough (the model's vocabulary holds typos its users made: 视屏, 输导), or a
lexicon word the model lacks (志愿服务队, 核酸检测).
"""

from __future__ import annotations

from .sounds import common_chars, word_key

MAX_TARGET = 6
TARGET_WF = -8.0  # a model word is a target when wordfreq has it at least this often…
TARGET_UNI = -6.0  # …or the model itself finds it this common
MAX_KEYED = 3  # whole-word substitutes (as an input method offers them) up to this length


def targets(uni: dict[str, float], wf: dict[str, float], extra: dict[str, float]) -> list[str]:
    common = common_chars()
    out = [w for w, u in uni.items() if 2 <= len(w) <= 4
           and (wf.get(w, -99.0) >= TARGET_WF or u >= TARGET_UNI)]
    out += [w for w in extra if len(w) <= MAX_TARGET]
    return [w for w in out if all(c in common for c in w)]


def build_index(words: list[str], readings: dict[str, list[str]]
                ) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """masked: "短视*" → the characters that make a target there; by_key: the toneless
    pinyin of a word → the targets keyed so (what an input method offers for those keys)."""
    masked: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for w in words:
        for i in range(len(w)):
            k = w[:i] + "*" + w[i + 1:]
            masked[k] = masked.get(k, "") + w[i]
        if len(w) <= MAX_KEYED:
            key = word_key(readings, w, False)
            if key:
                by_key.setdefault(key, []).append(w)
    return masked, {k: tuple(x) for k, x in by_key.items()}
