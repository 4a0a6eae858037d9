"""The size of each sheet, measured from its XML the way calamine will build it.

calamine allocates the rectangle from A1 to the last cell with a value in one block, so
a 2 KB file with one value in XFD1048576 makes it ask for 512 GB and abort. That rectangle
is measured here first, by expat (the standard library's XML parser) streaming over the
zip member: attribute order, quotes, namespace prefixes, character references and
whitespace are what XML says they are, a read boundary may fall anywhere, and a DTD is
refused before it is read. What cannot be measured is refused.

The measurement follows calamine's own rules (``xlsx/cells_reader.rs``, ``ods.rs``):

- .xlsx: elements by local name (any prefix); a cell's position is its ``r`` or, without
  one, a cursor that ``row r=…`` sets, the end of a row moves down and each cell moves
  right; only a cell with a child element can hold a value. calamine skips
  ``<c/>`` and ``<row/>`` altogether, which a parser cannot tell from ``<c></c>``: an
  element with children is known to be a start tag and is followed exactly; for one
  without, the cursor takes the larger of both readings, so it never falls behind
  calamine's.
- .ods: rows and cells with their repeat counts; a cell holds a value when it has a value
  attribute or content.
"""

from __future__ import annotations

import re
import string
import xml.parsers.expat as expat
from collections.abc import Callable, Iterable

from .limits import CORRUPT, Caps, UnreadableFile, check_extent, unmeasurable

DTD_REFUSED = ("文件中含有 XML 实体声明（DOCTYPE/ENTITY），正常的表格不会有，"
               "可能是恶意构造的文件，已拒绝读取")

# Excel's limits are XFD (3 letters) and row 1048576 (7 digits); calamine also reads
# lower-case letters. A leading zero or row 0 is not a position (calamine would wrap).
_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})")
_REF_LIST = re.compile(r"(?:[A-Za-z]{1,3}[1-9][0-9]{0,6}\n)*")
_LETTERS = string.ascii_letters.encode()
_DIGITS = string.digits.encode()
_ROW_NUMBER = re.compile(r"[1-9][0-9]{0,6}")


def _refuse_dtd(*_args: object) -> None:
    raise UnreadableFile(DTD_REFUSED, "bomb")


def _parser(start: Callable, end: Callable) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    return parser


def _parse(parser: expat.XMLParserType, chunks: Iterable[bytes],
           after_chunk: Callable[[], None]) -> None:
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            after_chunk()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFile(CORRUPT) from exc


def sheet_names(workbook: Iterable[bytes], rels: Iterable[bytes]) -> dict[str, str]:
    """{part path in the zip: the sheet's name as Excel shows it on its tab}, from
    xl/workbook.xml and its relationships; a message then names 活动表, not sheet1.xml."""
    named: dict[str, str] = {}  # relationship id -> sheet name
    targets: dict[str, str] = {}  # relationship id -> part path

    def in_workbook(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            named[rid] = attrs.get("name", "")

    def in_rels(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            target = attrs.get("Target", "")
            targets[attrs.get("Id", "")] = (target.lstrip("/") if target.startswith("/")
                                            else "xl/" + target)

    _parse(_parser(in_workbook, lambda _name: None), workbook, lambda: None)
    _parse(_parser(in_rels, lambda _name: None), rels, lambda: None)
    return {targets[rid]: name for rid, name in named.items() if rid in targets and name}


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def column_number(letters: str | bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return n


def measure_xlsx_part(chunks: Iterable[bytes], sheet: str, caps: Caps) -> None:
    """Refuse the part if the cells calamine would read from it are over the caps.

    Every ``c`` and ``row`` of the part counts, in ``sheetData`` or not (calamine reads
    only those in it: counting more can only make the measure larger). Inside a cell only
    end tags are followed, which halves the calls for a text cell: the end of any child
    says the cell has content; calamine too ignores what is nested in a cell.
    """
    row_open = row_proven = cell_value = False
    row_r: int | None = None  # the open row's r, 0-based
    cell_r: str | None = None  # the open cell's r
    row = 0  # calamine's row cursor, 0-based
    # Its column cursor: column_of(anchor) + offset, or offset alone without an anchor
    # (the r of the last cell, whose column is only computed when a cell needs it).
    anchor: str | None = None
    offset = 0
    refs: list[str] = []  # r of the cells with a value, checked in bulk after each chunk
    max_row = max_col = 0

    def column_of(ref: str) -> int:
        found = _REF.fullmatch(ref)
        if found is None:
            raise unmeasurable(sheet, f"有无法识别的单元格位置“{ref[:20]}”")
        return column_number(found.group(1))

    def cursor() -> int:
        return offset if anchor is None else column_of(anchor) + offset

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_open, row_proven, row_r, cell_value, cell_r, row
        if row_open and not row_proven:  # a child: the row is a start tag, its r counts
            row_proven = True
            if row_r is not None:
                row = row_r
        if name == "c" or (":" in name and name[-2:] == ":c"):
            cell_value, cell_r = False, attrs.get("r")
            parser.StartElementHandler, parser.EndElementHandler = None, cell_end
        elif name == "row" or (":" in name and name[-4:] == ":row"):
            if row_open:
                raise unmeasurable(sheet, "行中嵌套了行")
            r = attrs.get("r")
            if r is not None and not _ROW_NUMBER.fullmatch(r):
                raise unmeasurable(sheet, f"有无法识别的行号“{r[:20]}”")
            row_r = int(r) - 1 if r is not None else None
            row_open, row_proven = True, False

    def cell_end(name: str) -> None:
        nonlocal cell_value, max_row, max_col, anchor, offset
        if name != "c" and (":" not in name or name[-2:] != ":c"):
            cell_value = True  # a value, rich text, a formula: calamine reads the cell
            return
        parser.StartElementHandler, parser.EndElementHandler = start, end
        if cell_value:
            if cell_r is not None:
                refs.append(cell_r)
                anchor, offset = cell_r, 1
            else:
                col = cursor()
                max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
                anchor, offset = None, col + 1
        elif cell_r is not None:  # <c r=…/> leaves calamine's cursor, <c r=…></c> moves it
            anchor, offset = None, max(cursor(), column_of(cell_r) + 1)
        else:
            offset += 1

    def end(name: str) -> None:
        nonlocal row_open, row, anchor, offset
        if name == "row" or (":" in name and name[-4:] == ":row"):
            row_open = False
            if row_proven:
                row, anchor, offset = row + 1, None, 0
            else:  # <row/> leaves the cursor, <row></row> moves it: the larger of both
                row = max(row, row_r + 1) if row_r is not None else row + 1

    def after_chunk() -> None:
        nonlocal max_row, max_col
        if refs:
            joined = "\n".join(refs) + "\n"
            if not _REF_LIST.fullmatch(joined):
                for ref in refs:
                    column_of(ref)
                raise unmeasurable(sheet, "有无法识别的单元格位置")
            # C-level work, as this runs over every cell of the upload: the references
            # are checked ASCII, so their rows and letters are split out as bytes.
            raw = joined.encode("ascii")
            max_row = max(max_row, max(map(int, raw.translate(None, _LETTERS).split())))
            max_col = max(max_col, max(map(column_number,
                                           set(raw.translate(None, _DIGITS).split()))))
            refs.clear()
        # Checked as the part is read: a huge sheet stops at its first megabyte over.
        check_extent(sheet, max_row, max_col, caps)

    parser = _parser(start, end)
    _parse(parser, chunks, after_chunk)
    after_chunk()


_ODS_STRUCTURE = frozenset(["table", "table-row", "table-cell", "covered-table-cell"])
_ODS_CELLS = frozenset(["table-cell", "covered-table-cell"])
# The attributes from which calamine takes a cell's value (office:…, table:formula).
_ODS_VALUES = frozenset(["value-type", "value", "string-value", "date-value", "time-value",
                         "boolean-value", "formula"])


def measure_ods_content(chunks: Iterable[bytes], caps: Caps) -> None:
    """Measure each table of content.xml as calamine will build it, with repeats."""
    tables = 0
    name = ""
    in_table = row_open = cell_value = False
    cell_depth = cell_repeat = 0
    row = max_row = max_col = col = width = 0
    repeat_rows = 1

    def repeat(attrs: dict[str, str], which: str) -> int:
        counts = [v for k, v in attrs.items() if _local(k) == which]
        for value in counts:
            if not (value.isascii() and value.isdigit() and len(value) <= 9):
                raise unmeasurable(name, f"有无法识别的重复次数“{value[:20]}”")
        return max(map(int, counts), default=1)

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal tables, name, in_table, row_open, cell_value, cell_depth, cell_repeat
        nonlocal row, max_row, max_col, col, width, repeat_rows
        local = _local(tag)
        if cell_depth:
            if local in _ODS_STRUCTURE:
                raise unmeasurable(name, "单元格中嵌套了表格")
            cell_depth += 1
            cell_value = True
            return
        if local == "table":
            if in_table:
                raise unmeasurable(name, "表格中嵌套了表格")
            tables += 1
            if tables > caps.max_sheets:
                raise UnreadableFile(f"工作表过多（上限 {caps.max_sheets} 个）", "bomb")
            name = next((v for k, v in attrs.items() if _local(k) == "name"), "")
            in_table, row, max_row, max_col = True, 0, 0, 0
        elif not in_table:
            return
        elif local == "table-row":
            if row_open:
                raise unmeasurable(name, "行中嵌套了行")
            repeat_rows = repeat(attrs, "number-rows-repeated")
            row_open, col, width = True, 0, 0
        elif local in _ODS_CELLS:
            cell_depth, cell_repeat = 1, repeat(attrs, "number-columns-repeated")
            cell_value = any(_local(k) in _ODS_VALUES for k in attrs)

    def end(tag: str) -> None:
        nonlocal in_table, row_open, cell_depth, row, max_row, max_col, col, width
        if cell_depth:
            cell_depth -= 1
            if not cell_depth and row_open:
                if cell_value:
                    width = col + cell_repeat
                col += cell_repeat
            return
        local = _local(tag)
        if local == "table-row" and row_open:
            row_open = False
            if width:
                max_row, max_col = row + repeat_rows, max(max_col, width)
                check_extent(name, max_row, max_col, caps)
            row += repeat_rows
        elif local == "table" and in_table:
            in_table = False
            check_extent(name, max_row, max_col, caps)

    _parse(_parser(start, end), chunks, lambda: None)
