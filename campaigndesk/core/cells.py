"""What makes a spreadsheet take cell text for a formula, for every writer of every app.

A spreadsheet program takes text that starts with one of these for a formula when it is
typed or edited, and CSV injection uses the same. Writers either quote such a cell (the
xlsx writers set the cell's quote prefix) or prefix an apostrophe (CSV)."""

from .characters import printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARS = "".join(FORMULA_START)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def neutralise(value: object) -> str:
    """Cell text for a CSV or plain writer: an apostrophe before anything formula-like."""
    text = printable(value)  # control characters dropped, as in every writer
    return "'" + text if is_formula_like(text) else text
