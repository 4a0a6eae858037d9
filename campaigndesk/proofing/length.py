"""Length of the body, counted as WPS/Word count 字数, against the campaign's bounds."""

from __future__ import annotations

from .report import Context, Finding
from .text import count_chars, nth_counted_offset


def bounds_text(ctx: Context) -> str:
    """"约500字（350～700字）": what the notice asks and the bounds that are checked."""
    return f"约{ctx.target_length}字（{ctx.min_length}～{ctx.max_length}字）"


def check(text: str, body_start: int, context: Context | None) -> list[Finding]:
    ctx = context or Context()
    body = text[body_start:]
    n = count_chars(body)
    if n < ctx.min_length:
        return [Finding("length", "warning", body_start, len(text), body, None,
                        f"正文{n}字（不计空格），少于{ctx.min_length}字；"
                        f"本次活动要求{bounds_text(ctx)}。")]
    if n > ctx.max_length:
        # Point at the part beyond the bound, which is what the writer has to cut.
        cut = body_start + (nth_counted_offset(body, ctx.max_length) or 0)
        return [Finding("length", "warning", cut, len(text), text[cut:], None,
                        f"正文{n}字（不计空格），超过{ctx.max_length}字；"
                        f"本次活动要求{bounds_text(ctx)}。")]
    return []
