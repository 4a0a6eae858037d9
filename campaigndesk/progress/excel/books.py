"""Where the cells come from: calamine for the product, anything row-shaped for benchmarks.

A book gives its worksheets and, for one of them, all rows as lists of cell values starting
at A1 (row 0 is sheet row 1, item 0 is column A), with "" for empty cells and dates as
date/datetime, the way python-calamine returns them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from .limits import CORRUPT, CRASHED, ENCRYPTED, Caps, UnreadableFile, check_extent

Cell = Any  # str | float | int | bool | date | datetime | time | timedelta


@dataclass(frozen=True)
class SheetInfo:
    index: int
    name: str
    visible: bool


# A merged range: (first row, first column, last row, last column), 0-based, inclusive.
Merge = tuple[int, int, int, int]


class Book(Protocol):
    def sheets(self) -> list[SheetInfo]: ...

    def rows(self, sheet: SheetInfo) -> list[list[Cell]]: ...

    def merged(self, sheet: SheetInfo) -> list[Merge]: ...


# (data, format, caps) -> Book; the format is what guard.identify found.
Opener = Callable[[bytes, str, Caps], Book]


def _reraise(exc: BaseException) -> UnreadableFile:
    """Anything calamine throws is a bad file. A Rust panic (a BaseException) or a
    MemoryError is the reader failing, often on the memory limit of its child process
    (see sandbox), not necessarily a damaged file: it is said so."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc
    if isinstance(exc, PasswordError):
        return UnreadableFile(ENCRYPTED, "encrypted")
    if isinstance(exc, MemoryError) or type(exc).__name__ == "PanicException":
        return UnreadableFile(CRASHED, "crashed")
    return UnreadableFile(CORRUPT)


class CalamineBook:
    def __init__(self, data: bytes, kind: str, caps: Caps) -> None:
        self.caps = caps
        self._parsed: tuple[int, Any] | None = None
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = self._book.sheets_metadata
        except BaseException as exc:  # noqa: BLE001 - see _reraise
            raise _reraise(exc) from exc
        if len(meta) > caps.max_sheets:
            raise UnreadableFile(f"工作表过多（{len(meta)} 个，上限 {caps.max_sheets} 个）", "bomb")
        self._sheets = [
            SheetInfo(i, m.name, m.visible == SheetVisibleEnum.Visible)
            for i, m in enumerate(meta)
            if m.typ == SheetTypeEnum.WorkSheet
        ]

    def sheets(self) -> list[SheetInfo]:
        return self._sheets

    def _sheet(self, sheet: SheetInfo) -> Any:
        # Parsing a sheet is most of the reading time: once for its rows and its merges.
        if self._parsed is None or self._parsed[0] != sheet.index:
            self._parsed = (sheet.index, self._book.get_sheet_by_index(sheet.index))
        return self._parsed[1]

    def rows(self, sheet: SheetInfo) -> list[list[Cell]]:
        try:
            found = self._sheet(sheet)
            end = found.end
            if end is None:
                return []
            # The extent was measured before parsing; this is the cap on what calamine saw.
            check_extent(sheet.name, end[0] + 1, end[1] + 1, self.caps)
            return found.to_python(skip_empty_area=False)
        except UnreadableFile:
            raise
        except BaseException as exc:  # noqa: BLE001 - see _reraise
            raise _reraise(exc) from exc

    def merged(self, sheet: SheetInfo) -> list[Merge]:
        """The merged ranges (.xlsx and .xls; calamine gives none for .ods), cut at the
        last row and column with data: a merge reaching row 1048576 covers nothing more.

        The reader walks each merge row by row, so their rows together are capped like
        the cells: a 5 KB file with a few hundred merges down to row 1048576 used to hold
        a server process for minutes."""
        try:
            found = self._sheet(sheet)
            ranges = found.merged_cell_ranges or []
            end = found.end
        except BaseException as exc:  # noqa: BLE001 - see _reraise
            raise _reraise(exc) from exc
        if end is None:
            return []
        last_row, last_col = end
        merges = [(r1, c1, min(r2, last_row), min(c2, last_col))
                  for (r1, c1), (r2, c2) in ranges if r1 <= last_row and c1 <= last_col]
        if sum(r2 - r1 + 1 for r1, _c1, r2, _c2 in merges) > self.caps.max_cells:
            raise UnreadableFile(
                f"工作表“{sheet.name}”中的合并单元格过多（{len(merges)} 处），"
                "请取消不必要的合并后另存再上传", "too_large")
        return merges


def open_calamine(data: bytes, kind: str, caps: Caps) -> Book:
    return CalamineBook(data, kind, caps)
