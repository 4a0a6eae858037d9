"""Wrong characters decided in context by the language model.

For each clause (a run of Chinese characters) the text is cut into the model's words, then
candidate corrections are made:
- a character replaced by one that sounds alike (any reading, or a near sound) or looks
  alike, where that makes a known word of 2–6 characters on the word boundaries
  (短视屏 → 短视频, 纸尿库 → 纸尿裤, 心理输导 → 心理疏导);
- a well-known word replaced by a word an input method offers for the same keys
  (核算 → 核酸, 权力 → 权利, 晚上 → 完善), and a one-character word by one of the same sound
  (在/再, 以/已) — real words, so only where the model finds the word unexpected there;
- the curated confusion list (`typos.confusions`).
Each is scored as the whole clause with the correction against the clause as written; it
is reported when the gain in log10 probability clears the margin of its kind (`MARGINS`,
chosen on the project's own corpus). Every finding carries both scores.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from . import lm
from .candidates import MAX_TARGET, build_index
from .lexicon import read_data_lines
from .names import protected_spans, quoted_spans
from .report import Finding
from .segment import UNK, segment
from .sounds import NEAR, SAME, SHAPE, TONE, common_chars, related, word_key
from .typos import confusions
from .vocab import Vocab, tables, vocab, with_words

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
SINGLE_WORD_UNI = -4.6
# A character standing alone is a *rare* guess only when the character is rare in every word
# it is part of (唬 −4.8 in log10, summed over the model's words). Common characters the
# cutter leaves alone (娜 in names, 室, 员, 助 in 助餐, 兜 −4.3) are not guessed at: on the
# tuning briefs (tuning/) they were 25 of 58 false alarms and none of the typos.
RARE_CHAR = -4.5  # one-character words common enough to be meant for another
# Gain in log10 probability a correction must bring, by what is replaced (a non-word, a
# well-known word, a common one-character word, a rare character standing alone, a word
# merged into a longer one) and how the characters relate. Chosen by
# `python -m campaigndesk.proofing.tune` on the tuning material (tuning/: sentences and briefs
# people wrote; the corpus's clean briefs c01–c40) for the best sentence-level F1 with at most
# 2 % of correct sentences flagged, except where said; a missing pair is never reported.
MARGINS: dict[tuple[str, str], float] = {
    ("nonword", SAME): 2.75, ("nonword", TONE): 4.5, ("nonword", SHAPE): 3.5,
    # A well-known word merged with its neighbours into a longer known word (核算检测 →
    # 核酸检测, 自愿服务队 → 志愿服务队). Set by hand from the walk-through examples
    # (which are therefore tests, not a measurement); the tuner would raise SAME to 5.25 on
    # the tuning sentences, where such errors are few.
    ("merge", SAME): 3.0, ("merge", TONE): 3.25, ("merge", NEAR): 3.0,
    # A whole valid word replaced by one keyed alike (形势/形式, 简历/建立). A word keyed with
    # a near sound (晚上 for 完善) was tried and left off: on the tuning sentences it brought
    # more false alarms (更近 → 跟进) than finds.
    # Kept from the first round: the tuner's best F1 here (1.75 / 2.5, +0.03 on the tuning
    # sentences) flagged 1.5 % of the clean corpus sentences, and no setting below 3.0 found
    # one more typo in the tuning briefs while each flagged valid words there (议事 → 意识,
    # 实践 → 时间, 整治 → 政治).
    ("real", SAME): 3.0, ("real", TONE): 3.25,
    # One-character words from single_confusions.txt (在/再, 有/由); 的/地/得 apart.
    ("single", SAME): 1.25, ("particle", TONE): 2.5,
    # A rare character standing alone (12唬 → 12户): set on the tuning briefs (issue 14's
    # first round); the tuning sentences hold no such error, so the tuner cannot judge them.
    ("rare", SAME): 1.75, ("rare", TONE): 3.25, ("rare", SHAPE): 2.25,
}
# Quoted text (“情暖夕阳”, “一网通办”) is slogans and activity names, coined on purpose, but
# typos happen there too: a guess inside quotes needs this much more gain.
QUOTED_EXTRA = 1.5
# A real word is only tried against one not much rarer (log10 unigram difference).
REAL_RARER = -1.2
LISTED_CONFIDENCE = 0.95
# How often a guess was right, by how far its gain cleared its margin, on the tuning
# material (`python -m campaigndesk.proofing.tune --calibrate`, 2026-12-06: 49 of 74 below
# 1.5, 18/21 at 1.5–2, 27/29 at 2–3, 62/63 above 3). This is the 把握 a finding shows: the
# share of such findings that were real typos, not a formula's output.
CALIBRATION: tuple[tuple[float, float], ...] = ((3.0, 0.98), (2.0, 0.93), (1.5, 0.86),
                                                (0.0, 0.66))
HIGH_CONFIDENCE = 0.9  # at or above it a guess is an error, below a warning
SKIP_SINGLE = frozenset("了着过们个之其")  # grammar words, never guessed at
PARTICLES = frozenset("的地得")


@dataclass(frozen=True)
class Guess:
    start: int  # offsets in the text
    end: int
    written: str
    suggestion: str
    relation: str
    kind: str
    before: float
    after: float
    quoted: bool = False  # inside “…”: coined wording, so stronger evidence is asked

    @property
    def gain(self) -> float:
        margin = MARGINS.get((self.kind, self.relation))
        if margin is None:
            return -99.0
        return self.after - self.before - margin - (QUOTED_EXTRA if self.quoted else 0.0)

    @property
    def confidence(self) -> float:
        return next((p for floor, p in CALIBRATION if self.gain >= floor), 0.0)


@dataclass(frozen=True)
class Index:
    masked: dict[str, str]  # "短视*" → characters that make a target word there
    by_key: dict[str, tuple[str, ...]]  # "he suan" → target words keyed so
    singles: frozenset[str]
    rare: frozenset[str] = frozenset()  # characters rare in every word (唬), see RARE_CHAR
    own: dict[str, str] | None = None  # the same for the brief's own vocabulary


@cache
def index() -> Index:
    v, t = vocab(), tables()
    singles = frozenset(c for c in common_chars() if v.uni.get(c, -99.0) >= SINGLE_WORD_UNI)
    # How common a character is across all the words it is part of.
    total: dict[str, float] = {}
    for w, u in v.uni.items():
        for c in set(w):
            total[c] = total.get(c, 0.0) + 10 ** u
    rare = frozenset(c for c in common_chars() if total.get(c, 0.0) < 10 ** RARE_CHAR)
    return Index(t["masked"], t["by_key"], singles, rare)


@cache
def _unk_unigram() -> float:
    return lm.model().score("<unk>", bos=False, eos=False)


def clause_score(v: Vocab, toks: list[str], bos: bool = True, eos: bool = True) -> float:
    """log10 probability of the tokens; a lexicon word the model lacks is scored as the
    model's unknown word, corrected to the lexicon's own estimate of how common it is."""
    score = lm.model().score(" ".join(toks), bos=bos, eos=eos)
    uni = v.uni
    for t in toks:
        if t not in uni:
            est = v.estimate(t)
            score += (UNK if est is None else est) - _unk_unigram()
    return score


@dataclass
class _Clause:
    base: int
    text: str
    toks: list[str]
    starts: list[int]  # offset of each token in the clause
    # Whether the clause starts and ends a stretch of text: "30户有需要" is cut by the
    # digits, and 户 there is no sentence start.
    bos: bool = True
    eos: bool = True
    first: dict[int, int] = field(default_factory=dict)  # token start → token index
    last: dict[int, int] = field(default_factory=dict)  # token end → token index + 1
    _windows: dict[tuple[int, int], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for k, (s, t) in enumerate(zip(self.starts, self.toks, strict=True)):
            self.first[s] = k
            self.last[s + len(t)] = k + 1

    def window(self, ti: int, tj: int) -> tuple[int, int]:
        """Tokens whose trigram scores change when tokens ti..tj-1 change."""
        return max(0, ti - 2), min(len(self.toks), tj + 2)

    def score_of(self, v: Vocab, lo: int, hi: int, middle: list[str] | None = None,
                 ti: int = 0, tj: int = 0) -> float:
        toks = self.toks[lo:hi] if middle is None else (
            self.toks[lo:ti] + middle + self.toks[tj:hi])
        return clause_score(v, toks, bos=self.bos and lo == 0,
                            eos=self.eos and hi == len(self.toks))


def _delta(v: Vocab, cl: _Clause, a: int, b: int, new: str) -> tuple[float, float]:
    """Scores of the clause's changed neighbourhood as written and with cl.text[a:b]
    replaced by `new`. A trigram model's score changes only for the replaced tokens and the
    two after them, so the rest of the clause is left out: the difference is exact. Where a
    or b falls inside a token (社区网|隔|员 for 网格员), the tokens around the change, and one
    more on each side, are cut again with the correction in place (社区|网格员)."""
    if a in cl.first and b in cl.last:
        ti, tj = cl.first[a], cl.last[b]
        middle = [new] if v.known(new) else segment(v, new)
    else:
        ti = max(0, bisect_right(cl.starts, a) - 2)
        tj = min(len(cl.toks), bisect_right(cl.starts, b - 1) + 1)
        lo_c = cl.starts[ti]
        hi_c = cl.starts[tj] if tj < len(cl.toks) else len(cl.text)
        middle = segment(v, cl.text[lo_c:a] + new + cl.text[b:hi_c])
    lo, hi = cl.window(ti, tj)
    old = cl._windows.get((ti, tj))
    if old is None:
        old = cl._windows[(ti, tj)] = cl.score_of(v, lo, hi)
    return old, cl.score_of(v, lo, hi, middle, ti, tj)


def _window_candidates(v: Vocab, idx: Index, cl: _Clause, i: int, cuts: list[int],
                       strong_tok: tuple[int, int] | None):
    """Windows of 2–MAX_TARGET characters around position i where replacing text[i] makes a
    target word: on token boundaries (cuts: the sorted boundaries), or starting inside the
    token before where what that token keeps is itself a word (社区网 → 社区 + 网格员), or
    ending inside the token after likewise (低调查 → 摸底 + 调查)."""
    ch = cl.text[i]
    rel = related(ch)
    if not rel:
        return
    k = bisect_right(cuts, i)  # cuts[k - 1] <= i < cuts[k]
    lefts = [a for a in cuts[max(0, k - MAX_TARGET):k] if i - a < MAX_TARGET]
    rights = [b for b in cuts[k:k + MAX_TARGET] if b - i <= MAX_TARGET]
    s0 = cuts[k - 1]  # the token holding i, [s0, e0)
    e0 = cuts[k] if k < len(cuts) else len(cl.text)
    # Only a token that is no well-known word lends part of itself: a typo breaks the
    # cutting into odd pieces (社区网), while 调查 or 低调 were meant as cut.
    if k >= 2 and i == s0 and not v.strong(cl.text[cuts[k - 2]:s0]):
        p0 = cuts[k - 2]
        lefts += [a for a in range(p0 + 1, s0) if i - a < MAX_TARGET and v.known(cl.text[p0:a])]
    if k + 1 < len(cuts) and i == e0 - 1 and not v.strong(cl.text[e0:cuts[k + 1]]):
        n1 = cuts[k + 1]
        rights += [b for b in range(e0 + 1, n1) if b - i <= MAX_TARGET
                   and v.known(cl.text[b:n1])]
    text, masked, own = cl.text, idx.masked, idx.own
    mid_right = {b: text[i + 1:b] for b in rights}
    for a in lefts:
        head = text[a:i] + "*"
        for b in rights:
            if not 2 <= b - a <= MAX_TARGET:
                continue
            if strong_tok and a >= strong_tok[0] and b <= strong_tok[1]:
                continue  # inside a well-known word: only the real-word test applies
            key = head + mid_right[b]
            hits = masked.get(key, "")
            if own:
                hits += own.get(key, "")
            if not hits:
                continue
            written = text[a:b]
            if v.known(written) and v.strong(written):
                continue
            kind = "merge" if strong_tok else "nonword"
            for c in hits:
                r = rel.get(c)
                if r is not None:
                    yield a, b, text[a:i] + c + text[i + 1:b], r, kind


_WORDS_FOR: dict[str, list[tuple[str, str]]] = {}
RELATED_WORD = (SAME, TONE)  # a word's relation is its weakest character's


def _word_candidates(v: Vocab, idx: Index, tok: str) -> list[tuple[str, str]]:
    """Same-key words for a well-known word (primary readings only: 驻村 is not 驻守);
    remembered per word, as the same words come back in every brief."""
    found = _WORDS_FOR.get(tok)
    if found is not None:
        return found
    found = []
    key = word_key(v.readings, tok, False)
    for w in idx.by_key.get(key, ()) if key else ():
        if w != tok:
            rels = [related(a, primary=True).get(b) if a != b else SAME
                    for a, b in zip(tok, w, strict=True)]
            if all(r in RELATED_WORD for r in rels):
                found.append((w, max(rels, key=RELATED_WORD.index)))
    if len(_WORDS_FOR) < 200_000:
        _WORDS_FOR[tok] = found
    return found


@cache
def never_suggested() -> frozenset[str]:
    """Words never offered as a correction (data/never_suggest.txt: vulgar words a
    same-sound guess can land on)."""
    return frozenset(line.strip() for line in read_data_lines("never_suggest.txt")
                     if line.strip())


@cache
def single_groups() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in read_data_lines("single_confusions.txt"):
        for c in line.strip():
            out.setdefault(c, set()).update(line.strip())
    return {c: frozenset(g - {c}) for c, g in out.items()}


def _single_candidates(idx: Index, tok: str, kind: str):
    """For a common one-character word, only the words it is known to be confused with
    (single_confusions.txt): any same-sound word would be too many guesses. For a rare
    character standing alone, any common one-character word that sounds or looks alike."""
    rel = related(tok, primary=True)
    pool = rel if kind == "rare" else single_groups().get(tok, frozenset())
    for c in pool:
        r = rel.get(c, SHAPE)
        if c in idx.singles and c not in SKIP_SINGLE and r != NEAR and (
                kind != "particle" or c in PARTICLES):
            yield c, r


def _clause_guesses(v: Vocab, idx: Index, cl: _Clause, blocked: set[int],
                    quoted: set[int]) -> list[Guess]:
    cuts = [*cl.starts, len(cl.text)]
    cands: dict[tuple[int, int, str], tuple[str, str]] = {}

    never = never_suggested()

    def add(a: int, b: int, new: str, r: str, kind: str) -> None:
        margin = MARGINS.get((kind, r))
        if margin is None or any(w in new for w in never):
            return
        key = (a, b, new)
        old = cands.get(key)
        if old is None or margin < MARGINS[(old[1], old[0])]:
            cands[key] = (r, kind)

    scores = lm.model().full_scores(" ".join(cl.toks))
    for k, tok in enumerate(cl.toks):
        s = cl.starts[k]
        e = s + len(tok)
        if any(p in blocked for p in range(cl.base + s, cl.base + e)) or (
                tok not in v.uni and v.known(tok)):
            continue
        # A word the model saw right after its neighbours is taken as meant.
        attested = scores[k][1] >= 2 and scores[k + 1][1] >= 2
        strong = len(tok) >= 2 and v.strong(tok)
        if strong:
            if not attested:
                floor = v.uni.get(tok, -9.0) + REAL_RARER
                for w, r in _word_candidates(v, idx, tok):
                    if v.uni.get(w, -9.0) >= floor:
                        add(s, e, w, r, "real")
        elif len(tok) == 1 and tok not in SKIP_SINGLE:
            # A common one-character word meant for another (在/再; 的/地/得), or a rare
            # character standing alone where a common one belongs (12唬 → 12户).
            # Tried even where the model has read the word beside both neighbours: "有 由"
            # and "就 有" are both common, and only the gain can tell them apart.
            kind = ("particle" if tok in PARTICLES else "single") if tok in idx.singles else (
                "rare")
            floor = v.uni.get(tok, -9.0) + REAL_RARER if kind != "rare" else -99.0
            # Not a common character the cutter left alone (娜 in a name, 室, 助餐's 助).
            if kind != "rare" or (tok in idx.rare and not attested):
                for c, r in _single_candidates(idx, tok, kind):
                    if v.uni.get(c, -9.0) >= floor:
                        add(s, e, c, r, kind)
        if attested and (strong or len(tok) == 1):
            continue
        for i in range(s, e):
            for a, b, new, r, kind in _window_candidates(
                    v, idx, cl, i, cuts, (s, e) if strong else None):
                if not any(p in blocked for p in range(cl.base + a, cl.base + b)):
                    add(a, b, new, r, kind)
    out = []
    for (a, b, new), (r, kind) in cands.items():
        before, after = _delta(v, cl, a, b, new)
        inside = any(p in quoted for p in range(cl.base + a, cl.base + b))
        out.append(Guess(cl.base + a, cl.base + b, cl.text[a:b], new, r, kind, before, after,
                         inside))
    return out


def _best_apart(guesses: list[Guess]) -> list[Guess]:
    """The strongest guess of each group of overlapping ones."""
    out: list[Guess] = []
    for g in sorted(guesses, key=lambda g: -g.gain):
        if all(g.end <= o.start or o.end <= g.start for o in out):
            out.append(g)
    return sorted(out, key=lambda g: g.start)


def _finding(g: Guess) -> Finding:
    sev = "error" if g.confidence >= HIGH_CONFIDENCE else "warning"
    # An error (把握 ≥ 90 %) reads as one, a warning as a guess.
    message = (f"错别字：“{g.written}”应为“{g.suggestion}”。" if sev == "error"
               else f"疑似错别字：“{g.written}”可能应为“{g.suggestion}”。")
    return Finding("typo", sev, g.start, g.end, g.written, g.suggestion, message,
                   confidence=g.confidence,
                   score_written=round(g.before, 2), score_suggested=round(g.after, 2))


def _clauses(v: Vocab, text: str) -> list[_Clause]:
    out = []
    for m in HAN_RUN.finditer(text):
        toks = segment(v, m.group())
        starts, pos = [], 0
        for t in toks:
            starts.append(pos)
            pos += len(t)
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        out.append(_Clause(m.start(), m.group(), toks, starts,
                           not before.isalnum(), not after.isalnum()))
    return out


def listed(text: str, clauses: list[_Clause], v: Vocab) -> list[Finding]:
    """Matches of the confusion list; one that cuts across the model's words is kept only
    when the clause reads better corrected (结合实际 does not hold 合实 → 核实)."""
    conf = confusions()
    by_start = {c.base: c for c in clauses}
    out = []
    for idx, start, end in conf.automaton.find_matches_as_indexes(text):
        right = conf.right[idx]
        cl = next((c for b, c in by_start.items() if b <= start and end <= b + len(c.text)),
                  None)
        if cl is not None:
            cuts = set(cl.starts) | {len(cl.text)}
            a, b = start - cl.base, end - cl.base
            if a not in cuts or b not in cuts:
                # Cut the clause again with the correction in place and compare.
                fixed = cl.text[:a] + right + cl.text[b:]
                if cl.score_of(v, 0, len(cl.toks), segment(v, fixed), 0, len(cl.toks)) <= (
                        cl.score_of(v, 0, len(cl.toks))):
                    continue
        out.append(Finding("typo", "error", start, end, text[start:end], right,
                           f"错别字：“{text[start:end]}”应为“{right}”。",
                           confidence=LISTED_CONFIDENCE))
    return out


def candidates(text: str, skip: list[tuple[int, int]] | None = None,
               words: tuple[str, ...] = ()) -> tuple[list[Finding], list[Guess]]:
    """The confusion list's findings and every scored candidate, reported or not."""
    v = with_words(vocab(), words)
    idx = index()
    if v is not vocab():
        idx = _with_words(idx, v)
    clauses = _clauses(v, text)
    found = listed(text, clauses, v)
    blocked: set[int] = set()
    for s, e in (protected_spans(text, quotes=False) + (skip or [])
                 + [(f.start, f.end) for f in found]):
        blocked.update(range(s, e))
    quoted = {p for s, e in quoted_spans(text) for p in range(s, e)}
    return found, [g for cl in clauses for g in _clause_guesses(v, idx, cl, blocked, quoted)]


def decide(guesses: list[Guess]) -> list[Guess]:
    """The guesses that clear their margin, the strongest of each overlapping group."""
    return _best_apart([g for g in guesses if g.gain > 0])


def check(text: str, skip: list[tuple[int, int]] | None = None,
          words: tuple[str, ...] = ()) -> list[Finding]:
    found, guesses = candidates(text, skip, words)
    return found + [_finding(g) for g in decide(guesses)]


def _with_words(idx: Index, v: Vocab) -> Index:
    mine = [w for w in v.own if all(c in common_chars() for c in w)]
    return Index(idx.masked, idx.by_key, idx.singles, idx.rare,
                 build_index(mine, v.readings)[0])


def warm_up() -> None:
    """Open the model and build the lexicon and its indexes (raises lm.ModelMissing)."""
    lm.model()
    index()
    check("核酸检测")
