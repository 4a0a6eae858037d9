"""CSV as Excel and WPS save it, read into the same Book as a workbook.

What 另存为 gives on the bureaus' machines: "CSV (逗号分隔)" in GBK (GB18030 is its
superset, so that is what is decoded) on a Chinese Windows; "CSV UTF-8" with a BOM; WPS
and other tools UTF-8 without one; "Unicode 文本" as UTF-16 with a BOM and tabs; and
tab-separated text copied out of a sheet. A cell holding the delimiter, a quote or a line
break is in double quotes, so one record may span several lines; Excel numbers the rows
by record, and so do the messages here.

CSV has no magic bytes: ``looks_like_csv`` is how the guard tells it from a renamed
picture or a damaged workbook (text in one of those encodings, no control characters, a
delimiter). Everything here is Python's own csv module on text already in memory: no
native parser that could abort, so it runs in the server process, within the guard's byte
cap, and the rows are counted against the same caps as a sheet while they are read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from .books import Cell, Merge, SheetInfo
from .limits import Caps, UnreadableFile, check_extent

CSV = "csv"

# (byte order mark, codec, name shown to people)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe", "utf-16-le", "UTF-16"),
         (b"\xfe\xff", "utf-16-be", "UTF-16"))
_PLAIN = (("utf-8", "UTF-8"), ("gb18030", "GBK/GB18030"))
_DELIMITERS = ("\t", ",", ";")
DELIMITER_NAMES = {"\t": "制表符", ",": "逗号", ";": "分号"}
# What text tables never hold: control characters other than tab, line breaks, form feed
# and the old end-of-file mark (^Z) that some exporters append.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)\r?\n")
SNIFF_RECORDS = 50

NOT_TEXT_TABLE = ("文件不是 Excel 或 WPS 表格，也不是 CSV 文本（没有用逗号或制表符分隔的列），"
                  "请上传 .xlsx、.xls、.ods 或 .csv 文件")
BAD_ENCODING = ("CSV 文件的编码无法识别（不是 UTF-8 或 GBK/GB18030），请在 Excel 或 WPS 中"
                "另存为 .xlsx 或“CSV UTF-8”再上传")


@dataclass(frozen=True)
class Dialect:
    encoding: str  # as people know it: UTF-8, GBK/GB18030, UTF-16
    delimiter: str

    @property
    def description(self) -> str:
        return f"CSV 文本（{self.encoding} 编码，{DELIMITER_NAMES[self.delimiter]}分隔）"


def _codec(data: bytes) -> tuple[str, str, int]:
    """(codec, name, bytes of BOM) for the start of the file."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name, len(bom)
    return "", "", 0


def _decode_head(head: bytes) -> str | None:
    """The first bytes as text, or None: the cut may fall inside a character."""
    codec, _name, bom = _codec(head)
    codecs = [codec] if codec else [c for c, _n in _PLAIN]
    for name in codecs:
        for trim in range(4):
            try:
                return head[bom:len(head) - trim].decode(name.replace("-sig", ""))
            except UnicodeDecodeError:
                continue
    return None


def looks_like_csv(data: bytes) -> bool:
    """Text in a known encoding, without control characters, with a delimiter in its
    first lines: a CSV (or tab-separated) table as far as the first 4 KB tell."""
    head = _decode_head(data[:4096])
    if not head or _CONTROL.search(head):
        return False
    return any(d in head for d in _DELIMITERS)


def looks_like_text(data: bytes) -> bool:
    head = _decode_head(data[:4096])
    return bool(head) and not _CONTROL.search(head)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of the whole file; UnreadableFile when it is not text."""
    codec, name, _bom = _codec(data)
    candidates = [(codec, name)] if codec else list(_PLAIN)
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise UnreadableFile(NOT_TEXT_TABLE, "not_spreadsheet")
        return text, name
    raise UnreadableFile(BAD_ENCODING, "corrupt")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one width.

    Excel and WPS pad every record to the table's width, so the right delimiter gives many
    records of the same width; a comma inside a tab-separated cell (1,200.50) does not."""
    sample = "\n".join(text.splitlines()[:SNIFF_RECORDS * 2])
    best, best_score = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        if delimiter not in sample:
            continue
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths: Counter[int] = Counter()
        try:
            for record in reader:
                if len(record) > 1:
                    widths[len(record)] += 1
                if reader.line_num > SNIFF_RECORDS * 2:
                    break
        except csv.Error:
            pass  # an unfinished quote at the end of the sample
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


class CsvBook:
    """One sheet, named "" (a CSV has no tabs; messages then say 表格), of text cells."""

    def __init__(self, data: bytes, kind: str, caps: Caps) -> None:
        self.caps = caps
        text, encoding = decode(data)
        found = _SEP_LINE.match(text)  # Excel's own "sep=;" first line
        if found and found.group(1) in _DELIMITERS:
            delimiter, text = found.group(1), text[found.end():]
            self._lines_before = 1
        else:
            delimiter, self._lines_before = sniff_delimiter(text), 0
        self.dialect = Dialect(encoding, delimiter)
        self._text = text
        self._rows: list[list[Cell]] | None = None
        self._sheet = SheetInfo(0, "", True)

    def sheets(self) -> list[SheetInfo]:
        return [self._sheet]

    def rows(self, sheet: SheetInfo) -> list[list[Cell]]:
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    def merged(self, sheet: SheetInfo) -> list[Merge]:
        return []

    def _read(self) -> list[list[Cell]]:
        """The records as rows padded to one width, trailing empty rows and columns cut
        (what calamine gives for a sheet), counted against the caps as they come."""
        caps = self.caps
        reader = csv.reader(io.StringIO(self._text, newline=""),
                            delimiter=self.dialect.delimiter, strict=True)
        self._text = ""
        rows: list[list[Cell]] = []
        width = used = 0  # widest record; rows up to the last one with a value
        while True:
            # The file's line where the record starts, for a message about its quotes.
            start = reader.line_num + 1 + self._lines_before
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise UnreadableFile(_quote_problem(start, str(exc)), "corrupt") from exc
            last = len(record)
            while last and not record[last - 1]:
                last -= 1
            if last:
                if any("\r" in value for value in record):
                    record = [value.replace("\r\n", "\n").replace("\r", "\n")
                              for value in record]
                used = len(rows) + 1
                if last > width:
                    width = last
                    check_extent("", used, width, caps)
            rows.append(record)
            if not len(rows) & 255:
                check_extent("", used, width, caps)
        check_extent("", used, width, caps)
        del rows[used:]
        for i, record in enumerate(rows):
            if len(record) != width:
                rows[i] = record[:width] + [""] * (width - len(record))
        return rows


def _quote_problem(line: int, detail: str) -> str:
    if "end of data" in detail:
        what = "有一个单元格以英文双引号开头，直到文件末尾都没有结束的引号"
    elif "field larger" in detail:
        what = "有一个单元格过长（超过 13 万字）"
    else:
        what = "的引号不成对（结束的英文双引号之后应紧跟分隔符）"
    return (f"CSV 文件第 {line} 行{what}，无法读取。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传")
