"""Write the progress table (附件1) with XlsxWriter: the blank template, one unit's report
and the region's consolidated workbook.

One row iterator, several writers: ``activity_cells`` turns an ActivityRow into the twelve
cells of the table (typed: counts as int, amounts as fen) and every writer, and a CSV
later, renders those. Every workbook is an ``excel.sheet.Book``: constant_memory (rows
strictly in order, flushed to a temporary file as they are done), so a 200,000-row
campaign stays flat in memory; merged header cells are therefore laid out row by row (see
_merge), and the activity rows are serialised by ``excel.sheet.RowWriter``, which writes
the XML XlsxWriter would, without its per-cell cost.

User text is never a formula: strings are always string cells (``write_string`` or the
RowWriter's inline strings) and the workbook is opened with ``strings_to_formulas`` off,
so "=1+1", "+86…", "-5", "@x" stay text (with the quote prefix, so that editing the cell
in Excel keeps them text), and "<r>…</r>" is not taken for rich text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import IO, Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import Worksheet

from .excel.sheet import FORMULA_START, Book, RowWriter, is_formula_like
from .table import (
    COLUMNS,
    RESOURCES_HEADER,
    SEQUENCE,
    TITLE,
    ActivityRow,
    SummaryRow,
    dates_text,
    service_labels,
)

__all__ = [
    "DEFAULT_NOTES",
    "FORMULA_START",
    "SummaryRow",
    "activity_cells",
    "is_formula_like",
    "service_text",
    "sheet_name",
    "write_consolidated",
    "write_template",
    "write_unit_report",
]

Out = str | os.PathLike[str] | IO[bytes]

OFFICE_LINE = "盟市民政局慈善社工相关科室："
REPORTER_LINE = "填报人及手机号码："
DATE_LINE = "填报时间："
BLANK_DATE = "填报时间：       年    月    日"
DEFAULT_NOTES: tuple[str, ...] = (
    "说明： 此表于3月24日、31日下午17:00前报至自治区民政厅慈善社工处。",
    "联系人：张璐 电子邮箱：mz6946872@163.com 联系电话：0471-6946872",
)
NCOLS = 1 + len(COLUMNS)  # 序号 + the eleven columns
HEADER_ROW = 5  # 0-based: lines 1-5 are 附件 1, title, 科室, 填报人, 填报时间
FIRST_DATA_ROW = HEADER_ROW + 2
_KEY_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
FUNDS_COL, MATERIALS_COL = _KEY_INDEX["funds"], _KEY_INDEX["materials"]
COUNT_COLS = (_KEY_INDEX["participants"], _KEY_INDEX["beneficiaries"])
AMOUNT_COLS = (FUNDS_COL, MATERIALS_COL)

def write_text(ws: Worksheet, row: int, col: int, text: str, fmt: Format | None = None) -> None:
    """Any user text goes here: always a string cell, never a formula, URL or number (and
    formula-like text gets the quote prefix, see excel.sheet)."""
    ws.write_string(row, col, text, fmt)


def service_text(row: ActivityRow) -> str:
    """服务领域 as one cell."""
    return "、".join(service_labels(row))


def activity_cells(row: ActivityRow, seq: int,
                   services: Callable[[ActivityRow], str] = service_text) -> list[Any]:
    """The twelve cells of the table, in the order of COLUMNS after 序号.

    Counts are int, amounts int fen (the writer chooses how to show them), the rest str.
    """
    return [
        seq,
        row.name,
        "、".join(row.organizations),
        row.participants,
        dates_text(row.start, row.end),
        row.location,
        row.content,
        services(row),
        row.beneficiaries,
        row.funds_fen,
        row.materials_fen,
        # Attachment 1 has no column for it: a county's row in a bureau's report says its
        # origin in 备注, so the table keeps the notice's shape and still reads back.
        f"（来源：{row.origin}）{row.remarks}" if row.origin else row.remarks,
    ]


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\, not quoted."""
    base = _BAD_SHEET_CHARS.sub("_", wanted).strip().strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


# ---------------------------------------------------------------- formats and layout


class _Formats:
    def __init__(self, wb: Book) -> None:
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        cell = {**base, "border": 1, "text_wrap": True}

        def fmt(**extra: Any) -> Format:
            return wb.add_format({**base, **extra})

        self.plain = fmt()
        self.title = fmt(bold=True, font_size=16, align="center")
        self.line = fmt(align="left")
        self.header = fmt(**cell, bold=True, align="center")
        self.seq = fmt(**cell, align="center")
        self.text = fmt(**cell, align="left")
        self.count = fmt(**cell, align="right", num_format="0")
        self.amount = fmt(**cell, align="right", num_format="#,##0.00")
        self.total_label = fmt(**cell, bold=True, align="center")
        self.total_count = fmt(**cell, bold=True, align="right", num_format="0")
        self.total_amount = fmt(**cell, bold=True, align="right", num_format="#,##0.00")
        self.total_text = fmt(**cell, bold=True, align="left")
        self.note = fmt(align="left", text_wrap=True)


def _merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Declare a merged range without writing its cells.

    merge_range() writes the blank cells of lower rows at once, which in constant_memory
    mode flushes the current row and drops the cells still to come on it. So the cells are
    written by the caller in row order and the range is only recorded here.
    """
    ws.merge.append([first_row, first_col, last_row, last_col])
    ranged = xl_range(first_row, first_col, last_row, last_col)
    for r in range(first_row, last_row + 1):
        for c in range(first_col, last_col + 1):
            ws.merged_cells[(r, c)] = ranged


def _line(ws: Worksheet, row: int, text: str, fmt: Format, height: float | None = None) -> None:
    """A line across the table (title, 科室, 填报人…): one merged cell."""
    if height:
        ws.set_row(row, height)
    write_text(ws, row, 0, text, fmt)
    for c in range(1, NCOLS):
        ws.write_blank(row, c, None, fmt)
    _merge(ws, row, 0, row, NCOLS - 1)


def _setup_sheet(ws: Worksheet) -> None:
    ws.set_column(0, 0, SEQUENCE.width)
    for i, column in enumerate(COLUMNS, start=1):
        ws.set_column(i, i, column.width)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many pages down as needed
    ws.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")


def _heading(ws: Worksheet, f: _Formats, *, office: str, reporter: str, filled: str) -> None:
    """Lines 1-7: 附件 1, title, 科室, 填报人, 填报时间 and the two header rows."""
    write_text(ws, 0, 0, "附件 1", f.plain)
    _line(ws, 1, TITLE, f.title, 30)
    _line(ws, 2, office, f.line, 20)
    _line(ws, 3, reporter, f.line, 20)
    _line(ws, 4, filled, f.line, 20)
    top, sub = HEADER_ROW, HEADER_ROW + 1
    ws.set_row(top, 30)
    ws.set_row(sub, 45)
    # Row 6 of the sheet: every header, except the two amounts under 链接资源情况.
    write_text(ws, top, 0, SEQUENCE.header, f.header)
    for c, column in enumerate(COLUMNS, start=1):
        if c == FUNDS_COL:
            write_text(ws, top, c, RESOURCES_HEADER, f.header)
        elif c == MATERIALS_COL:
            ws.write_blank(top, c, None, f.header)
        else:
            write_text(ws, top, c, column.header, f.header)
    # Row 7: the two amount headers; the others are the lower halves of vertical merges.
    for c, column in enumerate(COLUMNS, start=1):
        if c in AMOUNT_COLS:
            write_text(ws, sub, c, column.header, f.header)
    for c in range(NCOLS):
        if c not in AMOUNT_COLS:
            ws.write_blank(sub, c, None, f.header)
            _merge(ws, top, c, sub, c)
    _merge(ws, top, FUNDS_COL, top, MATERIALS_COL)


def _notes(ws: Worksheet, f: _Formats, row: int, notes: Sequence[str]) -> None:
    for i, note in enumerate(notes):
        _line(ws, row + i, note, f.note, 20)


# (cell index, column width) of the wrapped text columns, for the row height; the dates
# column is our own ASCII text and is handled apart.
_DATES_COL = _KEY_INDEX["dates"]
_WRAPPED = tuple((i, int(c.width)) for i, c in enumerate(COLUMNS, start=1)
                 if c.key not in ("participants", "beneficiaries", "funds", "materials", "dates"))
LINE_HEIGHT = 14.5  # points per line of 11-point 宋体


def row_height(cells: list[Any]) -> float | None:
    """Height for the wrapped text, or None when one line is enough.

    Neither XlsxWriter nor LibreOffice grows a row to fit wrapped text on opening, so
    the height is estimated here, cheaply (it runs for every row of a campaign): a
    character is taken as two width units, as a Chinese one is.
    """
    lines = 2 if len(cells[_DATES_COL]) > 10 else 1  # a range: 2022-03-18至 / 2022-03-20
    for i, width in _WRAPPED:
        text = cells[i]
        if len(text) * 2 > width:
            if "\n" in text:
                n = sum(len(part) * 2 // width + 1 for part in text.split("\n"))
            else:
                n = len(text) * 2 // width + 1
            if n > lines:
                lines = n
        elif "\n" in text:
            lines = max(lines, text.count("\n") + 1)
    return None if lines == 1 else min(lines, 20) * LINE_HEIGHT + 3


def _activity_writer(ws: Worksheet, f: _Formats) -> RowWriter:
    """The activity rows go straight to the sheet's XML (see excel.sheet): the 2.4 million
    cells of a 200,000-row campaign skip XlsxWriter's per-cell bookkeeping. Text columns
    are still inline strings, so user text never becomes a formula."""
    count, text = (False, f.count), (True, f.text)
    return RowWriter(ws, FIRST_DATA_ROW, [
        (False, f.seq), text, text, count, text, text, text, text, count,
        (False, f.amount), (False, f.amount), text,
    ])


def _unit_sheet(ws: Worksheet, f: _Formats, *, office: str, reporter: str, filled: str,
                rows: Iterable[ActivityRow], services: Callable[[ActivityRow], str],
                notes: Sequence[str]) -> int:
    """The filled table on one sheet; returns the number of activities written."""
    _setup_sheet(ws)
    _heading(ws, f, office=office, reporter=reporter, filled=filled)
    writer = _activity_writer(ws, f)
    participants = beneficiaries = funds = materials = 0
    for seq, row in enumerate(rows, start=1):
        cells = activity_cells(row, seq, services)
        height = row_height(cells)
        cells[FUNDS_COL] /= 100
        cells[MATERIALS_COL] /= 100
        writer.write(cells, height)
        participants += row.participants
        beneficiaries += row.beneficiaries
        funds += row.funds_fen
        materials += row.materials_fen
    r = writer.close()
    count = r - FIRST_DATA_ROW
    write_text(ws, r, 0, "合计", f.total_label)
    for c in range(1, NCOLS):
        ws.write_blank(r, c, None, f.total_text)
    write_text(ws, r, 1, f"{count} 项活动", f.total_text)
    ws.write_number(r, COUNT_COLS[0], participants, f.total_count)
    ws.write_number(r, COUNT_COLS[1], beneficiaries, f.total_count)
    ws.write_number(r, FUNDS_COL, funds / 100, f.total_amount)
    ws.write_number(r, MATERIALS_COL, materials / 100, f.total_amount)
    _notes(ws, f, r + 1, notes)
    return count


def _date_line(filled: date | str | None) -> str:
    if isinstance(filled, str):
        filled = date.fromisoformat(filled) if filled else None
    if filled is None:
        return BLANK_DATE
    return f"{DATE_LINE}{filled.year}年{filled.month}月{filled.day}日"


# ---------------------------------------------------------------- the three workbooks


def write_template(out: Out, *, office_line: str = OFFICE_LINE, rows: int = 7,
                   notes: Sequence[str] = DEFAULT_NOTES) -> None:
    """The blank attachment 1: numbered empty rows 1..rows between header and 说明."""
    wb = Book(out)
    f = _Formats(wb)
    ws = wb.add_worksheet("附件1")
    _setup_sheet(ws)
    _heading(ws, f, office=office_line, reporter=REPORTER_LINE, filled=BLANK_DATE)
    for i in range(rows):
        r = FIRST_DATA_ROW + i
        ws.set_row(r, 24)
        ws.write_number(r, 0, i + 1, f.seq)
        for c in range(1, NCOLS):
            ws.write_blank(r, c, None, f.text)
    _notes(ws, f, FIRST_DATA_ROW + rows, notes)
    wb.close()


def write_unit_report(out: Out, *, unit_name: str, reporter_name: str, reporter_phone: str,
                      filled_date: date | str | None, rows: Iterable[ActivityRow],
                      service_text: Callable[[ActivityRow], str] = service_text,
                      notes: Sequence[str] = DEFAULT_NOTES,
                      office_line: str = OFFICE_LINE) -> None:
    """One unit's report in the layout of attachment 1, numbered, with a 合计 row."""
    wb = Book(out)
    f = _Formats(wb)
    ws = wb.add_worksheet("附件1")
    reporter = " ".join(p for p in (reporter_name.strip(), reporter_phone.strip()) if p)
    _unit_sheet(ws, f, office=f"{office_line}{unit_name}", reporter=f"{REPORTER_LINE}{reporter}",
                filled=_date_line(filled_date), rows=rows, services=service_text, notes=notes)
    wb.close()


SUMMARY_HEADERS = ("序号", "单位", "活动数", "参与人次", "受益人次", "链接资金（元）",
                   "链接物资折价（元）")
SUMMARY_WIDTHS = (6, 24, 9, 11, 11, 15, 17)


def write_consolidated(out: Out, *, campaign_title: str, deadlines: Sequence[str],
                       summary: Iterable[SummaryRow],
                       unit_sheets: Iterable[tuple[str, str, date | str | None,
                                                   Iterable[ActivityRow]]],
                       service_text: Callable[[ActivityRow], str] = service_text,
                       notes: Sequence[str] = DEFAULT_NOTES,
                       office_line: str = OFFICE_LINE,
                       extra_sheets: Sequence[tuple[str, Sequence[str],
                                                    Sequence[Sequence[Any]]]] = ()) -> None:
    """The 汇总 sheet, one sheet per unit: (unit name, reporter line, 填报时间, activities),
    then any extra sheets (name, headers, rows: the service places' signage).

    Everything is streamed: summary and unit rows are consumed once, in order.
    """
    wb = Book(out)
    f = _Formats(wb)
    taken = {"汇总"}
    _summary_sheet(wb.add_worksheet("汇总"), f, campaign_title, deadlines, summary)
    for unit_name, reporter, filled, rows in unit_sheets:
        ws = wb.add_worksheet(sheet_name(unit_name, taken))
        _unit_sheet(ws, f, office=f"{office_line}{unit_name}",
                    reporter=f"{REPORTER_LINE}{reporter}", filled=_date_line(filled), rows=rows,
                    services=service_text, notes=notes)
    for name, headers, rows in extra_sheets:
        _plain_sheet(wb.add_worksheet(sheet_name(name, taken)), f, headers, rows)
    wb.close()


def _summary_sheet(ws: Worksheet, f: _Formats, title: str, deadlines: Sequence[str],
                   summary: Iterable[SummaryRow]) -> None:
    ncols = len(SUMMARY_HEADERS) + len(deadlines)
    for c, width in enumerate(SUMMARY_WIDTHS):
        ws.set_column(c, c, width)
    if deadlines:
        ws.set_column(len(SUMMARY_HEADERS), ncols - 1, 18)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)
    ws.set_row(0, 30)
    write_text(ws, 0, 0, f"{title}工作进展汇总表", f.title)
    for c in range(1, ncols):
        ws.write_blank(0, c, None, f.title)
    if ncols > 1:
        _merge(ws, 0, 0, 0, ncols - 1)
    ws.set_row(1, 30)
    for c, text in enumerate([*SUMMARY_HEADERS, *deadlines]):
        write_text(ws, 1, c, text, f.header)
    r = 2
    sums = [0, 0, 0, 0, 0]
    counts: list[dict[str, int]] = [{} for _ in deadlines]
    for seq, line in enumerate(summary, start=1):
        figures = (line.activities, line.participants, line.beneficiaries)
        ws.write_number(r, 0, seq, f.seq)
        write_text(ws, r, 1, line.unit_name, f.text)
        for c, n in enumerate(figures, start=2):
            ws.write_number(r, c, n, f.count)
        ws.write_number(r, 5, line.funds_fen / 100, f.amount)
        ws.write_number(r, 6, line.materials_fen / 100, f.amount)
        for i, value in enumerate((*figures, line.funds_fen, line.materials_fen)):
            sums[i] += value
        for i in range(len(deadlines)):
            status = line.statuses[i] if i < len(line.statuses) else ""
            write_text(ws, r, len(SUMMARY_HEADERS) + i, status, f.text)
            word = status.split("（")[0]
            counts[i][word] = counts[i].get(word, 0) + 1
        r += 1
    write_text(ws, r, 0, "合计", f.total_label)
    write_text(ws, r, 1, f"{r - 2} 个单位", f.total_text)
    for c in range(3):
        ws.write_number(r, 2 + c, sums[c], f.total_count)
    ws.write_number(r, 5, sums[3] / 100, f.total_amount)
    ws.write_number(r, 6, sums[4] / 100, f.total_amount)
    for i, seen in enumerate(counts):
        text = "，".join(f"{word} {n}" for word, n in seen.items() if word)
        write_text(ws, r, len(SUMMARY_HEADERS) + i, text, f.total_text)


def _plain_sheet(ws: Worksheet, f: _Formats, headers: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> None:
    """A header line and rows of text and whole numbers."""
    ws.set_column(0, 0, 18)
    ws.set_column(1, len(headers) - 1, 12)
    for c, header in enumerate(headers):
        write_text(ws, 0, c, header, f.header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int):
                ws.write_number(r, c, value, f.count)
            else:
                write_text(ws, r, c, str(value), f.text)
