"""Cutting a run of Chinese characters into the words the language model knows.

The model is a word model trained on fcitx's segmentation, so text is cut the way its
vocabulary allows: the most probable sequence of its words under their unigram
probabilities, plus the lexicon's words the model lacks (驻村, 核酸检测), which stay whole.
"""

from __future__ import annotations

from .vocab import Vocab

UNK = -9.0  # a character the model does not know as a word


def segment(v: Vocab, s: str) -> list[str]:
    n = len(s)
    if n == 0:
        return []
    words, longest, own = v.words, v.longest, v.own
    best = [0.0] * (n + 1)
    nxt = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        top, arg = -1e18, i + 1
        for j in range(i + 1, min(n, i + longest.get(s[i], 1)) + 1):
            sc = words.get(s[i:j])
            if sc is None and own:
                sc = own.get(s[i:j])
            if sc is None:
                if j > i + 1:
                    continue
                sc = UNK
            t = sc + best[j]
            if t > top:
                top, arg = t, j
        best[i], nxt[i] = top, arg
    out, i = [], 0
    while i < n:
        out.append(s[i:nxt[i]])
        i = nxt[i]
    return out
