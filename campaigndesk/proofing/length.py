"""Length of the body in Chinese characters against the campaign's bounds."""

from __future__ import annotations

from .report import Context, Finding
from .text import count_han, nth_han_offset


def check(text: str, body_start: int, context: Context | None) -> list[Finding]:
    ctx = context or Context()
    body = text[body_start:]
    n = count_han(body)
    if n < ctx.min_length:
        return [Finding("length", "warning", body_start, len(text), body, None,
                        f"正文{n}字，少于{ctx.min_length}字（要求约500字）。")]
    if n > ctx.max_length:
        # Point at the part beyond the bound, which is what the writer has to cut.
        cut = body_start + (nth_han_offset(body, ctx.max_length) or 0)
        return [Finding("length", "warning", cut, len(text), text[cut:], None,
                        f"正文{n}字，超过{ctx.max_length}字（要求约500字）。")]
    return []
