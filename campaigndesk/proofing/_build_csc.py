"""Make corpus/csc_sentences.jsonl: the project's own sentence-level set for tuning the
in-context typo check (developer tool; deterministic: python -m campaigndesk.proofing._build_csc).

Sentences are those of the clean briefs (corpus/clean_briefs.txt); about half stay correct,
the others get one wrong character or word of a kind the issue lists:
- "pinyin": a character of a word replaced by one of the same toneless sound (pycorrector's
  same_pinyin.txt, not the checker's own tables) so that no known word results;
- "shape": a character replaced by one of similar shape (pycorrector's same_stroke.txt);
- "real_word": a two-character word replaced by another word of jieba's dictionary (a
  different lexicon from the checker's) with the same toneless pinyin;
- "single": a one-character word replaced by the one writers confuse it with (`SINGLES`);
- "modern": a 2020s word of the campaign misspelled (`MODERN`, written for the project).
Each line: {"id", "part", "domain": "brief", "source", "target", "kinds"}; part "tuning" for
briefs c01–c40 (margins are chosen on it), "check" for c41–c60 (only scored).
"""

from __future__ import annotations

import json
import random
import re

from .corpus import CORPUS, load_clean
from .lexicon import lexicon, read_data_lines
from .names import protected_spans

SINGLES = {"在": "再", "再": "在", "已": "以", "以": "已", "做": "作", "作": "做", "坐": "座",
           "像": "象", "带": "戴", "即": "既", "需": "须", "和": "合", "到": "倒", "向": "象",
           "为": "未", "是": "事", "有": "又", "又": "有", "进": "近", "把": "吧", "地": "的"}
MODERN = {"短视频": "短视平", "核酸": "核算", "社工站": "社工占", "网格员": "网格园",
          "志愿者": "志原者", "直播": "直拨", "线上": "线尚", "疫情": "疫清", "防控": "防空",
          "公众号": "公重号", "二维码": "二为码", "微信群": "微信裙", "小程序": "小成序",
          "养老服务": "养老复务", "困难群众": "困难群重", "乡村振兴": "乡村振新",
          "心理疏导": "心理书导", "五社联动": "五社连动", "赋能": "附能", "兜底": "兜低"}
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def _tables() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    same: dict[str, set[str]] = {}
    for line in read_data_lines("same_pinyin.txt"):
        ch, *cols = line.split("\t")
        same[ch] = {c for col in cols for c in col}
    shape: dict[str, set[str]] = {}
    for line in read_data_lines("same_stroke.txt"):
        group = [c for c in line.split("\t") if c]
        for c in group:
            shape.setdefault(c, set()).update(g for g in group if g != c)
    return same, shape


def _pinyin_words() -> dict[str, list[str]]:
    from pypinyin import Style, lazy_pinyin

    out: dict[str, list[str]] = {}
    for w, f in lexicon().freq.items():
        if len(w) == 2 and f >= 200 and all("\u4e00" <= c <= "\u9fff" for c in w):
            out.setdefault(" ".join(lazy_pinyin(w, style=Style.NORMAL)), []).append(w)
    return out


def _char_error(s: str, rng: random.Random, table: dict[str, set[str]],
                free: list[int]) -> tuple[str, int] | None:
    lx = lexicon()
    tried = list(free)
    rng.shuffle(tried)
    for i in tried:
        options = sorted(c for c in table.get(s[i], ()) if c in lx.common)
        rng.shuffle(options)
        for c in options:
            # No known word may result around the change (else it is a real-word error).
            around = [s[a:b][:i - a] + c + s[a:b][i - a + 1:] for a in range(max(0, i - 2), i + 1)
                      for b in range(i + 1, min(len(s), i + 3) + 1) if b - a >= 2]
            if not any(w in lx.freq for w in around):
                return s[:i] + c + s[i + 1:], i
    return None


def _word_error(s: str, rng: random.Random, words: dict[str, list[str]],
                free: set[int]) -> str | None:
    from pypinyin import Style, lazy_pinyin

    toks, pos, spans = lexicon().lcut(s), 0, []
    for t in toks:
        if len(t) == 2 and pos in free and pos + 1 in free:
            spans.append((pos, t))
        pos += len(t)
    rng.shuffle(spans)
    for p, t in spans:
        others = [w for w in words.get(" ".join(lazy_pinyin(t, style=Style.NORMAL)), []) if w != t]
        if others:
            return s[:p] + rng.choice(sorted(others)) + s[p + 2:]
    return None


def _single_error(s: str, rng: random.Random, free: set[int]) -> str | None:
    toks, pos, spots = lexicon().lcut(s), 0, []
    for t in toks:
        if t in SINGLES and pos in free:
            spots.append(pos)
        pos += len(t)
    if not spots:
        return None
    p = rng.choice(spots)
    return s[:p] + SINGLES[s[p]] + s[p + 1:]


def _modern_error(s: str) -> str | None:
    for right, wrong in MODERN.items():
        if right in s:
            return s.replace(right, wrong, 1)
    return None


def build() -> list[dict[str, object]]:
    rng = random.Random(20260414)
    same, shape = _tables()
    words = _pinyin_words()
    kinds = ["pinyin", "real_word", "shape", "single", "pinyin", "modern"]
    out: list[dict[str, object]] = []
    n = 0
    for b in load_clean():
        part = "check" if int(b.brief_id[1:]) >= 41 else "tuning"
        for m in SENTENCE.finditer(b.body):
            s = m.group().strip()
            if not 12 <= len(s) <= 90:
                continue
            blocked = {p for a, e in protected_spans(s) for p in range(a, e)}
            free = [i for i, c in enumerate(s) if "\u4e00" <= c <= "\u9fff" and i not in blocked]
            n += 1
            src, kind = s, ""
            if rng.random() < 0.55:
                kind = kinds[n % len(kinds)]
                got: str | None = None
                if kind in ("pinyin", "shape"):
                    hit = _char_error(s, rng, same if kind == "pinyin" else shape, free)
                    got = hit[0] if hit else None
                elif kind == "real_word":
                    got = _word_error(s, rng, words, set(free))
                elif kind == "single":
                    got = _single_error(s, rng, set(free))
                else:
                    got = _modern_error(s)
                    if got is None:  # no 2020s word in the sentence: a sound error instead
                        kind, hit = "pinyin", _char_error(s, rng, same, free)
                        got = hit[0] if hit else None
                src = got or s
            out.append({"id": f"{b.brief_id}-s{n}", "part": part, "domain": "brief",
                        "source": src, "target": s, "kinds": [kind] if src != s else []})
    return out


def main() -> None:
    rows = build()
    with (CORPUS / "csc_sentences.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    wrong = sum(1 for r in rows if r["source"] != r["target"])
    print(f"{len(rows)} sentences, {wrong} with an error")


if __name__ == "__main__":
    main()
