"""Rebuild data/confusions.tsv (developer tool, not used at run time).

Inputs: the hand-kept sections already in confusions.tsv (pycorrector's pairs and the pairs
written for this project) and a derived section: for each idiom (tag `i`) in jieba's
dictionary with frequency >= IDIOM_MIN_FREQ, one misspelling made by replacing one character
with a same-sound, same-tone common character (pycorrector's same_pinyin.txt) such that the
result is not a word in jieba's dictionary. Run: python -m campaigndesk.proofing._build_confusions
"""

from __future__ import annotations

import sys
from pathlib import Path

from .lexicon import lexicon, read_data_lines

DATA = Path(__file__).with_name("data")
IDIOM_MIN_FREQ = 30
DERIVED = "# --- derived idioms ---"
# Campaign words whose misspellings must stay out of the list: the issue asks that these be
# found by the generic detector, and the evaluation measures that.
KEEP_OUT = ("服务对象", "慈善资源", "社工站")


def _same_tone() -> dict[str, str]:
    out = {}
    for line in read_data_lines("same_pinyin.txt"):
        parts = line.split("\t")
        out[parts[0]] = parts[1] if len(parts) > 1 else ""
    return out


def derive() -> list[tuple[str, str]]:
    import jieba

    lx = lexicon()
    same = _same_tone()
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    pairs = []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        if tag != "i" or int(freq) < IDIOM_MIN_FREQ or len(word) != 4:
            continue
        if any(c not in lx.common for c in word):
            continue
        best: tuple[int, str] | None = None
        for i, c in enumerate(word):
            for alt in same.get(c, ""):
                if alt not in lx.common:
                    continue
                wrong = word[:i] + alt + word[i + 1:]
                if wrong in lx.freq:
                    continue
                score = lx.freq.get(alt, 0)
                if best is None or score > best[0]:
                    best = (score, wrong)
        if best and best[1] not in {w for w, _ in pairs}:
            pairs.append((best[1], word))
    return pairs


def write_char_pinyin() -> None:
    """Primary toneless reading of each common character, so run time needs no pypinyin."""
    from pypinyin import Style, lazy_pinyin

    chars = [ln.strip() for ln in read_data_lines("common_chars.txt")]
    readings = lazy_pinyin("".join(chars), style=Style.TONE3, neutral_tone_with_five=True)
    head = ("# Primary reading (pinyin, tone number) of each common character, generated with\n"
            "# pypinyin 0.55 (MIT licence) by _build_confusions.py; used to find same-sound\n"
            "# typo candidates without loading pypinyin at run time.\n")
    rows = [f"{c}\t{r}" for c, r in zip(chars, readings, strict=True)]
    (DATA / "char_pinyin.tsv").write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    write_char_pinyin()
    path = DATA / "confusions.tsv"
    text = path.read_text(encoding="utf-8")
    head = text.split(DERIVED)[0].rstrip("\n")
    listed = {ln.split("\t")[0] for ln in head.splitlines() if ln and not ln.startswith("#")}
    rows = [f"{w}\t{r}\tderived:jieba-idiom×pycorrector-same_pinyin" for w, r in derive()
            if w not in listed and not any(k in r for k in KEEP_OUT)]
    path.write_text(head + "\n" + DERIVED + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(listed)} hand-kept + {len(rows)} derived pairs\n")


if __name__ == "__main__":
    main()
