"""Where a reviewer's comment sits in a text: its own version's body, a later version or
the draft being edited. A comment keeps the words it was made on (its quote); in another
text it is found again by those words, at the occurrence nearest its old place, or it is
shown as 原文已修改 with the quote when the words are gone."""

from __future__ import annotations

from dataclasses import dataclass

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


def anchor(comment: ReviewComment, text: str) -> Anchored:
    at = locate(comment.quote, comment.start, text)
    if at is None:
        return Anchored(comment, None, None)
    return Anchored(comment, at, at + len(comment.quote))


def anchor_all(comments: list[ReviewComment], text: str) -> list[Anchored]:
    return [anchor(c, text) for c in comments]
