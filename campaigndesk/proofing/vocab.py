"""The modern lexicon the in-context typo check works with, built once and cached.

Sources, all shipped by packages or by this project:
- the language model's own 165,000 words with their unigram log10 probabilities (`lm.py`);
- wordfreq's Chinese list (wordfreq 3.1, data CC BY-SA 4.0: web, subtitles, news, Wikipedia
  up to 2021), which knows 2020s words the model lacks (驻村, 新冠, 共同富裕);
- `data/domain_words.txt` and `data/places`: the campaign's words (社工站, 五社联动, 网格员);
- per brief, `Context.vocabulary` (the campaign's own list, names of units and activities).

The model's vocabulary is not a clean word list (an input method learns its users' typos:
视屏, 输导 are in it), so how common a word is comes from wordfreq, and a word is *strong*
(never replaced on a rarer reading) only when wordfreq or the project knows it well.

Building the tables takes a few seconds (every model word scored, pinyin of every
character); they are kept in a cache file keyed by the model file and this module's
TABLES_VERSION, as jieba keeps its own, so start-up afterwards is a file read.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import marshal
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import lm, places
from .lexicon import DATA, read_data_lines

TABLES_VERSION = 9
MAX_WORD = 8  # longest word the segmenter tries
WF_MIN_LOG = -8.5  # wordfreq entries rarer than this are noise (one-off tokens, typos)
# A word the model lacks is kept whole (not scored in pieces, never "corrected") when
# wordfreq has it at least this often: 驻村 (−6.96), 网格员 …
STRONG_WF = -7.2
DOMAIN_SCORE = -5.5  # unigram log10 given to the campaign's own words
_lock = threading.Lock()
log = logging.getLogger(__name__)


def _han(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


def _wordfreq() -> dict[str, float]:
    """wordfreq's Chinese list as word → log10 frequency (its cB buckets, read directly:
    `wordfreq.get_frequency_dict` would take a second more to build the same dict)."""
    import msgpack
    import wordfreq

    with gzip.open(Path(wordfreq.__file__).with_name("data") / "large_zh.msgpack.gz") as fh:
        buckets = msgpack.load(fh, raw=False)
    out: dict[str, float] = {}
    for centibels, words in enumerate(buckets[1:]):
        logf = -centibels / 100
        if logf < WF_MIN_LOG:
            break
        for w in words:
            if len(w) <= MAX_WORD and _han(w):
                out.setdefault(w, logf)
    return out


def _readings(chars: set[str]) -> dict[str, list[str]]:
    """Every reading of each character, tone number last (zhang3), most usual first."""
    from pypinyin import Style, pinyin

    out = {}
    for ch in chars:
        got = pinyin(ch, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True,
                     errors="ignore")
        if got and got[0]:
            out[ch] = list(dict.fromkeys(r.replace("ü", "v") for r in got[0]))
    return out


def _build_tables(path: Path) -> dict[str, object]:
    from .candidates import build_index, targets

    model = lm.model()
    score = model.model.score  # type: ignore[attr-defined]
    uni = {w: score(w, bos=False, eos=False) for w in lm.vocabulary(path)
           if _han(w) and len(w) <= MAX_WORD}
    wf = _wordfreq()
    readings = _readings({c for w in uni for c in w} | {c for w in wf for c in w})
    extra = {w: max(f - 0.5, -8.0) for w, f in wf.items()
             if f >= STRONG_WF and len(w) >= 2 and w not in uni}
    extra.update({w: s for w, s in domain_words().items() if w not in uni})
    words = {**uni, **extra}
    longest: dict[str, int] = {}
    for w in words:
        longest[w[0]] = max(longest.get(w[0], 0), len(w))
    # A model word is strong when wordfreq knows it well, or when the project lists it (兜住:
    # the model has it, wordfreq barely).
    ours = domain_words()
    strong = [w for w in uni if len(w) >= 2 and (wf.get(w, -99.0) >= STRONG_WF or w in ours)]
    masked, by_key = build_index(targets(uni, wf, extra), readings)
    return {"uni": uni, "extra": extra, "words": words, "longest": longest,
            "strong": frozenset(strong), "readings": readings,
            "masked": masked, "by_key": by_key}


def cache_dir() -> Path:
    """CAMPAIGNDESK_PROOFING_CACHE, else the user's cache directory (not the shared temp
    directory: the files are loaded as data, and nobody else should be able to plant one)."""
    configured = os.environ.get("CAMPAIGNDESK_PROOFING_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "campaigndesk-proofing"


def cached(name: str, build: Callable[[], Any]) -> Any:
    """`build()`, kept in a marshal file keyed by the model file and TABLES_VERSION."""
    stat = lm.model_path().stat()
    # The project's word list is part of the tables: editing it makes a new file.
    ours = hashlib.sha256((DATA / "domain_words.txt").read_bytes()).hexdigest()[:12]
    file = cache_dir() / (f"{name}-v{TABLES_VERSION}-{stat.st_size}-{int(stat.st_mtime)}"
                          f"-{ours}.marshal")
    try:
        # Our own file in the user's cache; marshal rebuilds plain data and runs no code.
        return marshal.loads(file.read_bytes())  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        pass
    built = build()
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(built))
        tmp.replace(file)
    except OSError as exc:  # a read-only cache only costs the build time on each start
        log.warning("proofing tables not cached in %s: %s", file, exc)
    return built


@cache
def tables() -> dict[str, dict]:
    path = lm.model_path()
    lm.model()  # raises ModelMissing before any work
    return cached("tables", lambda: _build_tables(path))


def domain_words() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in read_data_lines("domain_words.txt"):
        out[line.split()[0]] = DOMAIN_SCORE
    for name in places.all_place_names():
        if _han(name) and len(name) >= 2:
            out.setdefault(name, DOMAIN_SCORE)
    return out


@dataclass(frozen=True)
class Vocab:
    uni: dict[str, float]  # the model's words → unigram log10
    # Words the model lacks but the lexicon knows well (wordfreq, the project's list): kept
    # whole by the segmenter, scored with their own estimate.
    extra: dict[str, float]
    words: dict[str, float]  # uni and extra together: what the segmenter looks up
    longest: dict[str, int]  # longest word starting with each character
    strong_words: frozenset[str]  # model words wordfreq knows well
    readings: dict[str, list[str]]
    own: dict[str, float] = field(default_factory=dict)  # the brief's vocabulary

    def score(self, word: str) -> float | None:
        found = self.words.get(word)
        if found is None and self.own:
            return self.own.get(word)
        return found

    def known(self, word: str) -> bool:
        return word in self.words or word in self.own

    def strong(self, word: str) -> bool:
        """A word the writer surely meant (wordfreq knows it well, or the project does)."""
        return word in self.strong_words or word in self.extra or word in self.own

    def estimate(self, word: str) -> float | None:
        """The lexicon's unigram log10 for a word the model lacks."""
        found = self.extra.get(word)
        return self.own.get(word) if found is None else found


@cache
def _vocab() -> Vocab:
    t = tables()
    return Vocab(t["uni"], t["extra"], t["words"], t["longest"], t["strong"], t["readings"])


def vocab() -> Vocab:
    with _lock:
        return _vocab()


def with_words(base: Vocab, words: tuple[str, ...]) -> Vocab:
    """The lexicon plus a brief's own vocabulary (a campaign's words, unit names)."""
    mine = {w: DOMAIN_SCORE for w in words if 2 <= len(w) <= MAX_WORD and _han(w)
            and w not in base.words}
    if not mine:
        return base
    longest = dict(base.longest)
    for w in mine:
        longest[w[0]] = max(longest.get(w[0], 0), len(w))
    return Vocab(base.uni, base.extra, base.words, longest, base.strong_words, base.readings,
                 mine)
