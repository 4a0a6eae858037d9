"""Numbers from query and form parameters, read without ever raising.

A parameter is text the client chose: `?v=abc`, `-1`, twenty digits, full-width digits.
Passed straight to a lookup, such text raised ValueError (a 500) or, beyond 64 bits,
OverflowError on SQLite. These helpers give a number inside a database id's range or None.
"""

from django.http import Http404

MAX_ID = 2**63 - 1


def whole_number(value) -> int | None:
    """A whole number (0 included) written in ASCII digits, at most MAX_ID; else None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def whole_numbers(values) -> list[int]:
    return [n for n in map(whole_number, values) if n is not None]


def number_or_404(value) -> int:
    number = whole_number(value)
    if number is None:
        raise Http404
    return number
