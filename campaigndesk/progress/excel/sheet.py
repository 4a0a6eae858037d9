"""The XlsxWriter workbook and worksheet every .xlsx of the project is written with.

Three things XlsxWriter 3.3 does not do the way this project needs:

- **Rich-text look-alikes.** XlsxWriter writes any string that starts with ``<r>`` and
  ends with ``</r>`` as raw rich-text XML. An activity named ``<r>&</r>`` would make the
  region's whole consolidated workbook unreadable, and ``<r><t>甲</t></r>`` would be
  shown as 甲. The project never writes rich text, so such strings are written as the
  plain text they are.
- **Speed of big tables.** A cell written through ``write_*`` is checked, stored in a
  per-row table, dispatched by type and serialised attribute by attribute when the row is
  flushed; with a style on each of the 2.4 million cells of a 200,000-activity campaign
  that is most of the export. ``RowWriter`` serialises a row of typed cells straight to the
  row stream that constant_memory mode keeps, in the same XML XlsxWriter writes
  (``<c r=… s=…>``, inline strings, the same escapes).
- **Row heights in constant memory.** ``set_row`` keeps a record per row for the whole
  sheet; ``RowWriter`` puts the height on the ``<row>`` element and keeps nothing.

Everything is written in constant_memory mode (rows strictly in order, flushed to a
temporary file), with strings never turned into formulas, numbers or links. And text that
looks like a formula (``=1+1``, ``+86 138``, ``@SUM(A1)``) is written with the cell style's
quote prefix, as Excel does when one types ``'=1+1``: it shows as typed, and editing the
cell (F2, Enter) keeps it text instead of making it live.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from math import isfinite
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from campaigndesk.core.cells import FORMULA_CHARS, FORMULA_START, is_formula_like
from campaigndesk.core.characters import printable

__all__ = ["FORMULA_START", "OPTIONS", "Book", "RowWriter", "Sheet", "is_formula_like",
           "text_xml"]

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
MAX_ROWS = 1_048_576  # Excel's rows per sheet
_STRING_MAX = 32_767  # Excel's characters per cell, in UTF-16 units

_ATTRIBUTE_ESCAPES = re.compile('["&<>\n]')  # as xlsxwriter.xmlwriter.xml_escapes
# What needs more than copying in cell text: XML's three and a literal _xHHHH_ (whose
# underscore is escaped). Control characters are dropped (core.characters.printable), not
# written as _xHHHH_: Excel and WPS showed a stored \x07 as "_x0007_" in the cell.
_TEXT_SPECIAL = re.compile(r"[&<>]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")


def text_xml(text: str) -> tuple[str, bool]:
    """Cell text as XlsxWriter writes it in an inline string: (escaped, keep spaces?)."""
    text = printable(text)
    if len(text) > _STRING_MAX // 2 and _utf16_len(text) > _STRING_MAX:
        text = _utf16_truncate(text, _STRING_MAX)
    if _TEXT_SPECIAL.search(text):
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
        preserve = text[:1].isspace() or text[-1:].isspace()
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), preserve
    return text, text[:1].isspace() or text[-1:].isspace()


class Sheet(Worksheet):
    book: Book  # set by Book.add_worksheet

    def _write_string(self, row: int, col: int, string: str,
                      cell_format: Format | None = None) -> int:
        # Every string of every workbook comes through here (write_string, write, write_row).
        string = printable(string)
        if string.startswith(FORMULA_START):
            cell_format = self.book.quoted(cell_format)
        return super()._write_string(row, col, string, cell_format)

    def _escape_attributes(self, attribute: Any) -> Any:
        # XlsxWriter lets the style index (an int) fail through a TypeError in its regex;
        # on every cell of a big export that exception path alone costs ~7%.
        if type(attribute) is not str or not _ATTRIBUTE_ESCAPES.search(attribute):
            return attribute
        return (attribute.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("\n", "&#xA;"))

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        # Reached only for text that looks like rich-text XML (see the module text); the
        # string already had its control characters escaped, as for any inline string.
        self._xml_inline_string(string, string[:1].isspace() or string[-1:].isspace(),
                                list(attributes))


class Book(xlsxwriter.Workbook):
    """A workbook in constant_memory mode whose worksheets are ``Sheet``s."""

    worksheet_class = Sheet

    def __init__(self, out: Any) -> None:
        # Before XlsxWriter's own __init__, which adds its default formats.
        self._properties: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Format] = {}
        super().__init__(out, OPTIONS)

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        fmt = super().add_format(properties)
        self._properties[id(fmt)] = dict(properties or {})
        return fmt

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Sheet:
        sheet = super().add_worksheet(name, worksheet_class)
        sheet.book = self
        return sheet

    def quoted(self, fmt: Format | None) -> Format:
        """The same style with the quote prefix (made once per style)."""
        if fmt is not None and fmt.quote_prefix:
            return fmt
        key = id(fmt)
        if key not in self._quoted:
            properties = self._properties[id(fmt)] if fmt is not None else {}
            self._quoted[key] = self.add_format({**properties, "quote_prefix": True})
        return self._quoted[key]


class RowWriter:
    """Writes rows of typed cells straight into a sheet's row stream.

    ``columns`` gives, for columns 0, 1, 2…, whether the cell is text and its format.
    Between ``RowWriter(sheet, first_row)`` and ``close()`` nothing else may be written to
    the sheet; before, anything above ``first_row``; after, anything below the last row.
    """

    def __init__(self, sheet: Sheet, first_row: int,
                 columns: Sequence[tuple[bool, Format]]) -> None:
        if not sheet.constant_memory:
            raise ValueError("RowWriter needs a workbook in constant_memory mode")
        if first_row < sheet.previous_row or (first_row == sheet.previous_row and
                                              sheet.table.get(first_row)):
            raise ValueError(f"row {first_row} is already written")
        self.sheet = sheet
        self.first_row = self.row = first_row
        # Flush the row XlsxWriter still holds (the header), so ours come after it.
        if first_row > sheet.previous_row:
            sheet._write_single_row(first_row)
        self._write = sheet.fh.write
        # Style numbers in the order XlsxWriter gives them: the columns' own first, the
        # quote-prefixed ones (for formula-like text) when such text comes.
        styles = [fmt._get_xf_index() for _is_text, fmt in columns]
        quoted = [sheet.book.quoted(fmt)._get_xf_index() if is_text else 0
                  for is_text, fmt in columns]
        self._cells = [
            (f'<c r="{xl_col_to_name(c)}',
             f'" s="{style}" t="inlineStr"><is><t>' if is_text else f'" s="{style}"><v>',
             f'" s="{style}"/>',
             is_text,
             f'" s="{quote}" t="inlineStr"><is><t>')
            for c, ((is_text, _fmt), style, quote) in enumerate(zip(columns, styles, quoted,
                                                                   strict=True))
        ]
        self._last_col = len(columns) - 1

    def write(self, values: Sequence[Any], height: float | None = None) -> None:
        """One row: str for text columns ('' is a blank cell), int or float for numbers.

        ``height`` in points, as ``set_row`` takes it; None keeps the default height.
        """
        row = self.row
        if row >= MAX_ROWS:
            raise ValueError(f"表格超过 Excel 的行数上限（{MAX_ROWS} 行）")
        n = str(row + 1)
        parts = [f'<row r="{n}" ht="{height:.16g}" customHeight="1">' if height
                 else f'<row r="{n}">']
        for (start, middle, blank, is_text, quoted), value in zip(self._cells, values,
                                                                  strict=True):
            if is_text:
                if not value:
                    parts.append(f"{start}{n}{blank}")
                    continue
                if value[0] in FORMULA_CHARS:
                    middle = quoted
                text, preserve = text_xml(value)
                if preserve:
                    parts.append(f'{start}{n}{middle[:-1]} xml:space="preserve">{text}'
                                 "</t></is></c>")
                else:
                    parts.append(f"{start}{n}{middle}{text}</t></is></c>")
            elif value.__class__ is int:
                parts.append(f"{start}{n}{middle}{value}</v></c>")
            elif isfinite(value):
                parts.append(f"{start}{n}{middle}{value:.16G}</v></c>")
            else:
                raise ValueError(f"not a number Excel can hold: {value!r}")
        parts.append("</row>")
        self._write("".join(parts))
        self.row = row + 1

    def close(self) -> int:
        """Hand the sheet back to XlsxWriter; returns the next free row."""
        if self.row > self.first_row:
            self.sheet._check_dimensions(self.first_row, 0)
            self.sheet._check_dimensions(self.row - 1, self._last_col)
            self.sheet.previous_row = self.row - 1
        return self.row
