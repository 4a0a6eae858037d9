"""Where a reviewer's comment sits in a text: its own version's body, a later version or
the draft being edited.

A comment keeps the words it was made on (its quote) and their place in its version. In
another text its place is carried through the edit between the two texts (a diff): text
inserted before it moves it, text changed inside it means the words are gone, and it is
shown as 原文已修改 with the quote. It is never moved to another copy of the same words:
社区, 社工, 老年人 occur several times in most briefs, and the nearest other copy is not
the one the reviewer meant (nor, when the reporter deleted the words as asked, any)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from campaigndesk.core.texts import common_ends

from .models import ReviewComment


@dataclass(frozen=True)
class Anchored:
    comment: ReviewComment
    start: int | None  # None: the quoted words are no longer in this text
    end: int | None

    @property
    def found(self) -> bool:
        return self.start is not None


def locate(quote: str, near: int, text: str) -> int | None:
    """Offset of the occurrence of `quote` in `text` nearest to `near`, or None."""
    if not quote:
        return None
    if text[near:near + len(quote)] == quote:
        return near
    best, at = None, text.find(quote)
    while at >= 0:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return best


def follow(old: str, start: int, end: int, new: str) -> int | None:
    """Where old[start:end] is in `new`, through the edit from `old` to `new`; None when
    the edit touched those words (changed, deleted, or something typed inside them)."""
    if old == new:
        return start
    head, tail = common_ends(old, new)
    if end <= head:
        return start
    if start >= len(old) - tail:
        return start + len(new) - len(old)
    matcher = SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail],
                              autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if head + a <= start and end <= head + a + size:
            return start - (head + a) + head + b
    return None


def anchor(comment: ReviewComment, text: str) -> Anchored:
    source = comment.version.body
    if source[comment.start:comment.end] != comment.quote:
        at = locate(comment.quote, comment.start, text)  # made before versions kept bodies
    else:
        at = follow(source, comment.start, comment.end, text)
    if at is None or text[at:at + len(comment.quote)] != comment.quote:
        return Anchored(comment, None, None)
    return Anchored(comment, at, at + len(comment.quote))


def anchor_all(comments: list[ReviewComment], text: str) -> list[Anchored]:
    return [anchor(c, text) for c in comments]
