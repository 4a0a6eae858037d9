"""Read the progress table (附件1) the way units really fill it in Excel or WPS.

    result = read_progress(data_or_path, filename="…", context=ReadContext(year=2022, …))

Raises UnreadableFile (message in Chinese) when the file cannot be read at all: empty,
too big, not a spreadsheet, encrypted, corrupt, a zip bomb, over a cap. Otherwise returns
a ReadResult: the activity rows without errors, and every problem as (sheet row, header
text as found, Chinese message). Nothing here saves anything, and no Django.

The cells come from a pluggable Book (calamine in a child process by default, see
excel/sandbox.py; a CSV through Python's csv module, excel/csvbook.py; the benchmark plugs
openpyxl in to compare), so the validation is the same whatever parsed the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from campaigndesk.core.characters import CONTROL_RE, control_message

from .excel import sandbox
from .excel.books import Book, Cell, Merge, Opener, SheetInfo
from .excel.cells import (
    AreaMatcher,
    CellError,
    DateCell,
    dates_from_text,
    is_number,
    nfkc,
    parse_amount,
    parse_count,
    parse_dates,
    shown,
    split_organizations,
    text_of,
)
from .excel.csvbook import CSV, CsvBook
from .excel.guard import Caps, UnreadableFile, check_size, identify, measure
from .excel.header import (
    MOBILE_FORMAT,
    Header,
    HeaderColumn,
    Preamble,
    column_label,
    find_header,
    header_key,
    is_total_header,
    read_preamble,
)
from .excel.limits import too_many_rows
from .table import COLUMNS, TEXT_LIMITS, ActivityRow, Problem, Totals, fen_to_yuan, totals_of

__all__ = ["Caps", "ReadContext", "ReadResult", "TotalCheck", "UnreadableFile", "open_book",
           "read_progress", "read_table"]

DEFAULT_SERVICE_AREAS = ["老年人", "残疾人", "妇女", "儿童青少年", "困难群体", "其他"]
HEADERS = {c.key: c.header for c in COLUMNS}
COUNT_KEYS = ("participants", "beneficiaries")
AMOUNT_KEYS = ("funds", "materials")
TOTAL_WORDS = frozenset(["合计", "总计", "小计", "累计", "合计数", "总合计", "共计"])


def is_total_word(text: str) -> bool:
    """A 合计 row's label (合计, 总计：, 合计（3月）…), in a file or in a pasted block."""
    word = nfkc(text).rstrip(":：")
    return word in TOTAL_WORDS or word.startswith(("合计", "总计"))
_NAME_HEADER_HINTS = ("名称", "主题", "题目", "项目")
_NUMERAL = "一二三四五六七八九十"
_HEADING = re.compile(rf"^(?:[{_NUMERAL}]+\s*[、.]|[(][{_NUMERAL}\d]+[)]|"
                      rf"第\s*[{_NUMERAL}\d]+\s*[周期批阶部])")
_END_MARK = re.compile(r"^(?:填表)?(?:说明|注)\s*[:：]|^(?:填表)?说明$|^联系人\s*[:：]")


@dataclass
class ReadContext:
    year: int
    start: date | None = None  # the campaign's dates; activities outside are flagged
    end: date | None = None
    service_areas: list[str] = field(default_factory=lambda: list(DEFAULT_SERVICE_AREAS))
    caps: Caps = field(default_factory=Caps)


@dataclass(frozen=True)
class TotalCheck:
    """A 合计 row and the columns whose figure was compared with the sum of the rows."""

    row: int  # 1-based sheet row
    sheet: str
    compared: tuple[str, ...]  # column headers as found
    differing: tuple[str, ...]  # those whose figure is not the sum (a warning says so)
    unchecked: tuple[str, ...] = ()  # not comparable: a cell of the column has an error


@dataclass
class ReadResult:
    reporter_name: str = ""
    reporter_phone: str = ""  # digits only, as found (checked with a warning, not refused)
    filled_date: date | None = None
    office: str = ""  # after 盟市民政局慈善社工相关科室：
    sheet: str = ""
    format: str = ""  # xlsx, xls, ods or csv, from the content
    format_note: str = ""  # a CSV's encoding and delimiter, as found
    rows: list[ActivityRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # The 合计 row of the file, by column key (participants, beneficiaries: counts;
    # funds, materials: fen), for information; it is never an activity.
    total_row: dict[str, int] | None = None
    # Each 合计 row found and what it was compared with (the preview says so).
    total_checks: list[TotalCheck] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # key -> header text as found
    # Rows read as activities, with or without errors (``rows`` holds those without), and
    # how many of them had errors: the preview tells read from valid.
    activity_rows: int = 0
    error_rows: int = 0

    @property
    def totals(self) -> Totals:
        return totals_of(self.rows)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_progress(data: bytes | str | os.PathLike[str], *, filename: str = "",
                  context: ReadContext, opener: Opener | None = None) -> ReadResult:
    """Read and check an uploaded table. ``filename`` is only used in messages."""
    raw = _load(data, context.caps)
    kind = identify(raw, context.caps)
    book = _book(raw, kind, context.caps, opener)
    result = ReadResult(format=kind)
    if isinstance(book, CsvBook):
        result.format_note = book.dialect.description
    tables, first = _tables(book)
    if not tables:
        name = f"“{filename}”" if filename else "文件"
        result.sheet = first.name if first else ""
        result.errors.append(Problem(None, "", (
            f"{name}中没有找到统计表的表头（应有“活动名称”“参与人次”“活动开展时间”等列），"
            "请使用附件1的模板")))
        return result
    if len(tables) == 1:
        sheet, rows, header, merged = tables[0]
        result.sheet = sheet.name
        _RowReader(context, result, header, rows, merged).run()
    else:
        _read_sheets(tables, context, result)
    _drop_repeated_rows(result, several=len(tables) > 1)
    if len(result.rows) > context.caps.max_rows:
        raise too_many_rows(len(result.rows), context.caps)
    return result


def open_book(data: bytes, caps: Caps) -> Book:
    """Any other uploaded table (the places register): the same guard and sandboxed reader
    as the progress table, without its header rules."""
    raw = _load(data, caps)
    return _book(raw, identify(raw, caps), caps, None)


def _book(raw: bytes, kind: str, caps: Caps, opener: Opener | None) -> Book:
    """The cells, once the guard has measured the file; calamine reads them meanwhile in
    its child process, which is stopped if the guard refuses. A CSV is read here: text,
    no native parser to confine (see excel/csvbook.py)."""
    if kind == CSV:
        return CsvBook(raw, kind, caps)
    if opener is not None:
        measure(raw, kind, caps)
        return opener(raw, kind, caps)
    reading = sandbox.Reading(raw, kind, caps)
    try:
        measure(raw, kind, caps)
        return reading.book()
    finally:
        reading.close()


def _read_sheets(tables: list[_Table], context: ReadContext, result: ReadResult) -> None:
    """A workbook with the table on several sheets (one per county, or per week): every
    sheet is read; each problem names its sheet, rows keep their sheet row numbers."""
    read = []
    for sheet, rows, header, merged in tables:
        part = ReadResult(sheet=sheet.name)
        _RowReader(context, part, header, rows, merged).run()
        prefix = f"工作表“{sheet.name}”："
        result.errors += [Problem(p.row, p.column, prefix + p.message) for p in part.errors]
        result.warnings += [Problem(p.row, p.column, prefix + p.message)
                            for p in part.warnings]
        for row in part.rows:
            row.sheet = sheet.name
        result.rows += part.rows
        if part.rows or part.errors:
            read.append(sheet.name)
        for field_name in ("reporter_name", "reporter_phone", "filled_date", "office"):
            if not getattr(result, field_name):
                setattr(result, field_name, getattr(part, field_name))
        if part.total_row:
            total = result.total_row = result.total_row or {}
            for key, value in part.total_row.items():
                total[key] = total.get(key, 0) + value
        result.total_checks += part.total_checks
        result.activity_rows += part.activity_rows
        result.error_rows += part.error_rows
        for key, text in part.columns.items():
            result.columns.setdefault(key, text)
    result.sheet = "、".join(read) or tables[0][0].name
    if len(read) > 1:
        result.warnings.insert(0, Problem(None, "", (
            f"文件中有 {len(read)} 个工作表填有统计表（{result.sheet}），已全部读取；"
            "各工作表中完全相同的行只读取一次")))


def _drop_repeated_rows(result: ReadResult, several: bool) -> None:
    """A row equal in every column to an earlier one is read once: a copy, or a summary
    sheet that repeats the others. Rows that differ in anything (another place, other
    figures) are separate activities, even with the same name and day."""
    seen: dict[tuple, ActivityRow] = {}
    kept = []
    for row in result.rows:
        key = _row_key(row)
        first = seen.get(key)
        if first is None:
            seen[key] = row
            kept.append(row)
            continue
        where = (f"工作表“{first.sheet}”第 {first.row} 行" if several and first.sheet
                 else f"第 {first.row} 行")
        prefix = f"工作表“{row.sheet}”：" if several and row.sheet else ""
        result.warnings.append(Problem(row.row, "", (
            f"{prefix}这一行与{where}完全相同，只读取一次")))
    result.rows = kept


def _row_key(row: ActivityRow) -> tuple:
    return (row.name, tuple(row.organizations), row.participants, row.start, row.end,
            row.location, row.content, tuple(row.service_areas), row.service_other,
            row.beneficiaries, row.funds_fen, row.materials_fen, row.remarks)


def read_table(rows: list[list[Cell]], *, context: ReadContext,
               sheet_name: str = "") -> ReadResult:
    """Check rows that are already cells (the web grid, a paste): the same rules as a file.

    ``rows[0]`` is sheet row 1; the header is found as in a file (usually rows[0]).
    """
    result = ReadResult(sheet=sheet_name)
    header = find_header(rows)
    if header is None:
        result.errors.append(Problem(None, "", "没有找到表头（应有“活动名称”等列）"))
        return result
    _RowReader(context, result, header, rows).run()
    return result


def _load(data: bytes | str | os.PathLike[str], caps: Caps) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    path = Path(data)
    try:
        size = path.stat().st_size
        if size > caps.max_bytes_with_pictures:
            check_size(size, caps)  # too big whatever it holds: refused unread
        return path.read_bytes()  # the pictures rule is applied by identify()
    except OSError as exc:
        raise UnreadableFile("无法打开文件", "corrupt") from exc


_Table = tuple[SheetInfo, list[list[Cell]], Header, list[Merge]]


def _tables(book: Book) -> tuple[list[_Table], SheetInfo | None]:
    """The sheets with the table, in workbook order, and the first sheet (for messages).

    Visible sheets only, unless no visible sheet has the table (then the first hidden one).
    A header without 活动名称 (a summary sheet has 参与人次, 受益人次 and the amounts) is
    only taken when no sheet has a full one, to report what is missing.
    """
    sheets = sorted(book.sheets(), key=lambda s: (not s.visible, s.index))
    full: list[_Table] = []
    partial: _Table | None = None
    for sheet in sheets:
        if full and not sheet.visible:
            break
        rows = book.rows(sheet)
        header = find_header(rows)
        if header is None:
            continue
        table = (sheet, rows, header, book.merged(sheet))
        if any(c.key == "name" for c in header.columns):
            full.append(table)
        else:
            partial = partial or table
    if full:
        return full, sheets[0]
    return ([partial] if partial else []), (sheets[0] if sheets else None)


class _RowReader:
    def __init__(self, context: ReadContext, result: ReadResult, header: Header,
                 rows: list[list[Cell]], merged: list[Merge] = ()) -> None:
        self.context = context
        self.result = result
        self.header = header
        self.rows = rows
        self.merged = merged
        self._wide: set[tuple[int, int]] = set()  # (row, col) of cells merged across
        self._header_again_end = 0
        self.areas = AreaMatcher(context.service_areas)
        self.date_cache: dict[str, DateCell | CellError] = {}
        self.col: dict[str, HeaderColumn] = {}
        self.sums: dict[str, int | None] = {k: 0 for k in (*COUNT_KEYS, *AMOUNT_KEYS)}
        # Columns the header does not name (no header text, or a 链接资源情况 whose two
        # columns could not be told): what is in them is never dropped without a word.
        named = {c.index for c in header.columns}
        self.unnamed = [c for c in range(len(header.texts)) if c not in named]
        self.header_width = len(header.texts)
        self._unnamed_text: set[int] = set()  # columns whose text was already reported

    # ------------------------------------------------------------ header and preamble

    def run(self) -> None:
        if not self._columns():
            return
        preamble = read_preamble(self.rows[: self.header.row])
        self._spread_merged()
        end = self._activities()
        if preamble.reporter_row is None and end < len(self.rows):
            read_preamble(self.rows[end:], preamble, end)  # 填报人 written under the table
        self._preamble(preamble)

    def _columns(self) -> bool:
        row = self.header.label_row + 1
        for column in self.header.columns:
            if column.key is None and is_total_header(column.text):
                self.warn(row, column.text,
                          f"“{column.text}”是合计列，不作为活动数据读取（合计由各行相加得出）")
            elif column.key is None:
                self.warn(row, column.text, f"“{column.text}”不是统计表的列，这一列已忽略")
            elif column.key in self.col:
                self.warn(row, column.text, f"“{column.text}”列重复，只读取第一列")
            else:
                self.col[column.key] = column
                if column.key != "seq":
                    self.result.columns[column.key] = column.text
        if self.header.by_place:
            letters = "、".join(xl_col_to_name(c) for c in self.header.by_place)
            self.warn(row, "链接资源情况", (
                f"“链接资源情况”下没有“链接资金”“链接物资折价”的表头，第 {letters} 列按附件1的"
                "顺序读作链接资金、链接物资折价，请核对"))
        # Cell index of each column; a missing column points one past the widest.
        self.width = max((c.index for c in self.col.values()), default=0) + 1
        self.at = {c.key: self.col[c.key].index if c.key in self.col else self.width
                   for c in COLUMNS}
        if "name" not in self.col:
            self.result.errors.append(Problem(row, "", "表头中找不到“活动名称”列，无法读取活动"))
            return False
        missing = [HEADERS[c.key] for c in COLUMNS if c.key not in self.col]
        if missing:
            self.warn(row, "", "表中没有这些列：" + "、".join(missing) + "，这些内容按空白处理")
        return True

    def _preamble(self, found: Preamble) -> None:
        result = self.result
        result.reporter_name = found.reporter_name
        result.reporter_phone = found.reporter_phone
        result.office = found.office
        row = found.reporter_row + 1 if found.reporter_row is not None else None
        if found.reporter_phone and not MOBILE_FORMAT.fullmatch(found.reporter_phone):
            self.warn(row, "填报人及手机号码",
                      f"“{found.phone_text}”不是 11 位手机号码（如 13800001234），请在网页上改正")
        if found.filled_text and any(ch.isdigit() for ch in found.filled_text):
            try:
                result.filled_date = dates_from_text(found.filled_text, self.context.year).start
            except CellError:
                self.warn((found.filled_row or 0) + 1, "填报时间",
                          f"填报时间“{found.filled_text}”无法识别，请填写如 2022年3月24日")

    # ------------------------------------------------------------ rows

    def _spread_merged(self) -> None:
        """Cells merged down over several activities, as people merge 活动地点 or 参与单位
        for activities held together: the text belongs to each of those activities, so it
        is copied down; a count or an amount is counted once, on the first row, with a
        warning. A row with nothing but the continuation of merges above (rows merged into
        one tall row) is not an activity of its own, so nothing is copied into it."""
        if not self.merged:
            return
        by_index = {c.index: c for c in self.col.values()}
        data_cols = [c.index for k, c in self.col.items() if k != "seq"]
        rows, start = self.rows, self.header.data_start

        own_data = {r for r in range(start, len(rows))
                    if any(rows[r][i] not in ("", None) for i in data_cols if i < len(rows[r]))}
        for r1, c1, r2, _ in sorted(self.merged):
            column = by_index.get(c1)
            if r1 < start or r2 <= r1 or column is None or column.key == "seq":
                continue
            below = [r for r in range(r1 + 1, r2 + 1) if r in own_data]
            if not below:
                continue
            if column.key in COUNT_KEYS or column.key in AMOUNT_KEYS:
                self.warn(r1 + 1, column.text,
                          f"第 {r1 + 1} 至 {r2 + 1} 行的“{column.text}”是一个合并单元格，"
                          f"数值只计入第 {r1 + 1} 行")
                continue
            value = rows[r1][c1] if c1 < len(rows[r1]) else ""
            for r in below:
                cells = rows[r]
                if c1 < len(cells) and cells[c1] in ("", None):
                    cells[c1] = value

    def _activities(self) -> int:
        """Read the rows after the header; return the index where the table ends."""
        seq = self.col.get("seq")
        seq_i = seq.index if seq else -1
        name_i = self.col["name"].index
        data_cols = [c.index for k, c in self.col.items() if k != "seq"]
        rows = self.rows
        total_at: int | None = None
        skip_until = 0
        self._wide = {(r1, c1) for r1, c1, r2, c2 in self.merged if c2 > c1}
        for r in range(self.header.data_start, len(rows)):
            cells = rows[r]
            if not any(cells):
                continue
            first = next(v for v in cells if v != "" and v is not None)
            if type(first) is str and _END_MARK.match(first.strip()):
                self._check_total(total_at)
                self._after_end(r)
                return r
            if self._is_total(cells, seq_i, name_i):
                total_at = r
                continue
            if not any(cells[i] for i in data_cols if i < len(cells)):
                continue  # a template row holding only its 序号
            if r < skip_until or self._is_header_again(r, cells, name_i):
                skip_until = max(skip_until, self._header_again_end)
                continue
            if self._is_heading(r, cells, name_i, data_cols):
                continue
            self._activity(r, cells)
        self._check_total(total_at)
        return len(rows)

    def _is_header_again(self, r: int, cells: list[Cell], name_i: int) -> bool:
        """The header once more, as when a unit pastes this week's table, header and all,
        under last week's: skipped with its second header row, not read as an activity."""
        name = cells[name_i] if name_i < len(cells) else ""
        # Cheap tests first (this runs for every row): every wording of the 活动名称 header
        # holds one of the hints, and a header's 参与人次 cell is text without a digit.
        people = cells[self.at["participants"]] if self.at["participants"] < len(cells) else ""
        if (type(name) is not str or type(people) is not str or not people
                or any(ch.isdigit() for ch in people)
                or not any(w in name for w in _NAME_HEADER_HINTS)
                or header_key(name) != "name"):
            return False
        again = find_header(self.rows[r:r + 2])
        if again is None or again.row != 0:
            return False
        self._header_again_end = r + again.data_start
        self.warn(r + 1, "", "这一行是又一次出现的表头，已跳过")
        return True

    def _is_heading(self, r: int, cells: list[Cell], name_i: int, data_cols: list[int]) -> bool:
        """A section title in the 活动名称 column (一、线下活动; 第二周), alone in its row:
        a heading when it is merged across the table or reads like one."""
        if any(cells[i] not in ("", None) for i in data_cols if i != name_i and i < len(cells)):
            return False
        text = text_of(cells[name_i])
        if (r, name_i) not in self._wide and not _HEADING.match(nfkc(text)):
            return False
        self.warn(r + 1, self.col["name"].text, f"“{text}”看作分组标题，没有作为活动读取")
        return True

    def _after_end(self, end: int) -> None:
        """Rows that look like activities under the 说明 line are not read: say so."""
        for r in range(end + 1, len(self.rows)):
            if sum(1 for v in self.rows[r] if v != "" and v is not None) >= 3:
                self.warn(r + 1, "", "这一行在“说明”行之后，没有作为活动读取；"
                                     "如果是活动，请移到说明行之前")
                return

    def _is_total(self, cells: list[Cell], seq_i: int, name_i: int) -> bool:
        for i in (seq_i, name_i):
            # Every total word contains 计: a cheap test before normalising.
            if 0 <= i < len(cells) and type(cells[i]) is str and "计" in cells[i]:
                if is_total_word(cells[i]):
                    return True
        return False

    def _activity(self, r: int, cells: list[Cell]) -> None:
        row_no = r + 1
        problems_before = len(self.result.errors)
        activity = ActivityRow(row=row_no)
        get = self._getter(cells)

        activity.name = text_of(get("name"))
        if not activity.name:
            self.error(row_no, self.col["name"].text, "缺少活动名称")
        activity.organizations = split_organizations(get("organizations"))
        activity.location = text_of(get("location"))
        activity.content = text_of(get("content"))
        activity.remarks = text_of(get("remarks"))
        for key in COUNT_KEYS:
            setattr(activity, key, self._count(row_no, key, get(key)))
        activity.funds_fen = self._amount(row_no, "funds", get("funds"))
        activity.materials_fen = self._amount(row_no, "materials", get("materials"))
        self._dates(row_no, activity, get("dates"))
        self._service_areas(row_no, activity, get("service_areas"))
        self._lengths(row_no, activity)
        self._controls(row_no, activity)
        self._unnamed_cells(row_no, cells)
        self.result.activity_rows += 1
        if len(self.result.errors) == problems_before:
            self.result.rows.append(activity)
        else:
            self.result.error_rows += 1

    def _unnamed_cells(self, row: int, cells: list[Cell]) -> None:
        """A figure in a column without a known header may be an amount or a count the
        table needs (100 under a 链接资源情况 the finder could not split): an error, so
        that nothing is imported without it. Text there is only said once per column."""
        width = len(cells)
        found = [c for c in self.unnamed if c < width]
        found += range(self.header_width, width)
        for c in found:
            value = cells[c]
            if value is None or value == "" or (type(value) is str and not value.strip()):
                continue
            text = self.header.texts[c] if c < self.header_width else ""
            label = column_label(c, text)
            if is_number(value):
                self.error(row, label, (
                    f"“{shown(value)}”所在的列没有可识别的表头，无法判断是哪一项，没有读入；"
                    "请在表头写明这一列（如“链接资金（元）”），或删去这一列后重新上传"))
            elif c not in self._unnamed_text:
                self._unnamed_text.add(c)
                self.warn(row, label, (
                    f"这一列没有可识别的表头，其中的内容（如“{shown(value)}”）没有读入"))

    def _lengths(self, row: int, activity: ActivityRow) -> None:
        """The database keeps at most TEXT_LIMITS characters of these columns: say so on the
        cell rather than fail at saving (or, on PostgreSQL, refuse the whole import)."""
        for key, limit in TEXT_LIMITS.items():
            value = getattr(activity, key)
            if len(value) > limit:
                column = self.col["service_areas" if key == "service_other" else key].text
                self.error(row, column, f"内容过长（{len(value)}字），请控制在{limit}字以内")

    def _controls(self, row: int, activity: ActivityRow) -> None:
        """Control characters (core.characters) in a text cell: an error on the cell, as the
        web's forms refuse them, in the grid and in an upload alike."""
        for key in ("name", "location", "content", "remarks", "service_other", "organizations"):
            value = getattr(activity, key)
            value = "、".join(value) if isinstance(value, list | tuple) else value
            if not value or not CONTROL_RE.search(value):
                continue
            found = self.col.get("service_areas" if key == "service_other" else key)
            column = found.text if found else key
            self.error(row, column, control_message(value, column))

    def _getter(self, cells: list[Cell]) -> Callable[[str], Cell]:
        """A row's cell by column key: "" for an empty cell or a column the table lacks."""
        # Exactly width + 1 cells: every column index is valid and index `width`, where
        # the missing columns point, is empty.
        width = self.width
        cells = (cells[:width] if len(cells) >= width else cells) + [""] * (
            width + 1 - min(len(cells), width))
        at = self.at

        def get(key: str) -> Cell:
            value = cells[at[key]]
            return "" if value is None else value

        return get

    def _count(self, row: int, key: str, value: Cell) -> int:
        if value == "":
            return 0
        try:
            number = parse_count(value, "人次")
        except CellError as exc:
            self.error(row, self.col[key].text, exc.message)
            self.sums[key] = None
            return 0
        if self.sums[key] is not None:
            self.sums[key] += number  # type: ignore[operator]
        return number

    def _amount(self, row: int, key: str, value: Cell) -> int:
        if value == "":
            return 0
        column = self.col[key]
        try:
            fen = parse_amount(value, column.wan)
        except CellError as exc:
            self.error(row, column.text, exc.message)
            self.sums[key] = None
            return 0
        if self.sums[key] is not None:
            self.sums[key] += fen  # type: ignore[operator]
        return fen

    def _dates(self, row: int, activity: ActivityRow, value: Cell) -> None:
        column = self.col.get("dates")
        if column is None:
            return
        if value == "" or (type(value) is str and not value.strip()):
            self.error(row, column.text, "请填写活动开展时间，如 2022-03-18 或 3月25日至3月27日")
            return
        try:
            if type(value) is str:
                cached = self.date_cache.get(value)
                if cached is None:
                    try:
                        cached = parse_dates(value, self.context.year)
                    except CellError as exc:
                        cached = exc
                    self.date_cache[value] = cached
                if isinstance(cached, CellError):
                    raise cached
                cell = cached
            else:
                cell = parse_dates(value, self.context.year)
        except CellError as exc:
            self.error(row, column.text, exc.message)
            return
        activity.start, activity.end = cell.start, cell.end
        if cell.note:
            self.warn(row, column.text, cell.note)
        self._check_campaign(row, column.text, cell)

    def _check_campaign(self, row: int, header: str, cell: DateCell) -> None:
        first, last = self.context.start, self.context.end
        if (first and cell.start < first) or (last and cell.end > last):
            period = f"{_md(first)}至{_md(last)}" if first and last else "活动期"
            when = _md(cell.start) if cell.start == cell.end else (
                f"{_md(cell.start)}至{_md(cell.end)}")
            self.warn(row, header, f"活动时间 {when} 不在本次活动期（{period}）内，请核对")

    def _service_areas(self, row: int, activity: ActivityRow, value: Cell) -> None:
        if value == "":
            return
        areas = self.areas(value)
        activity.service_areas = list(areas.labels)
        activity.service_other = areas.other
        if areas.unknown:
            column = self.col["service_areas"].text
            words = "、".join(f"“{w}”" for w in areas.unknown)
            if self.areas.other:
                self.warn(row, column, f"服务领域{words}不在所列领域中，已归入“{self.areas.other}”")
            else:
                self.warn(row, column, f"服务领域{words}不在所列领域中，已忽略")

    # ------------------------------------------------------------ 合计

    def _check_total(self, at: int | None) -> None:
        if at is None:
            return
        cells = self.rows[at]
        get = self._getter(cells)
        found: dict[str, int] = {}
        compared, differing, unchecked = [], [], []
        for key in (*COUNT_KEYS, *AMOUNT_KEYS):
            column = self.col.get(key)
            value = get(key)
            if column is None or value == "":
                continue
            try:
                found[key] = (parse_count(value) if key in COUNT_KEYS
                              else parse_amount(value, column.wan))
            except CellError:
                continue
            computed = self.sums[key]
            if computed is None:
                unchecked.append(column.text)
                continue
            compared.append(column.text)
            if computed != found[key]:
                differing.append(column.text)
                fmt = str if key in COUNT_KEYS else _fmt_fen
                self.warn(at + 1, column.text,
                          f"合计行的“{column.text}”为 {fmt(found[key])}，"
                          f"但各行相加为 {fmt(computed)}，请核对")
        self.result.total_row = found
        self.result.total_checks.append(TotalCheck(
            at + 1, self.result.sheet, tuple(compared), tuple(differing), tuple(unchecked)))

    # ------------------------------------------------------------ problems

    def error(self, row: int | None, column: str, message: str) -> None:
        self.result.errors.append(Problem(row, column, message))

    def warn(self, row: int | None, column: str, message: str) -> None:
        self.result.warnings.append(Problem(row, column, message))


def _md(day: date | None) -> str:
    return f"{day.month}月{day.day}日" if day else ""


def _fmt_fen(fen: int) -> str:
    return f"{fen_to_yuan(fen)} 元"
