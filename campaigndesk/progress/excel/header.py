"""Find the header of attachment 1 in a sheet and the lines above it.

Columns are known by their header text, normalised: spaces and line breaks removed, full-
and half-width brackets alike, the parenthetical part (（元）, （团队）, the list after
服务领域) ignored for matching. The header is in one row or two: in the template
链接资源情况 is merged over 链接资金（元）and 链接物资折价（元）in the second row, and the
other columns are merged vertically, so their second-row cells are empty. Tables made
by hand go deeper: a grouping row above the names (活动基本情况 over 活动名称…活动内容,
链接资源情况 over the amounts), with 序号 and 备注 merged down across every header row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from .books import Cell
from .cells import text_of

SCAN_ROWS = 30  # the header is within the first rows of the sheet
MIN_KNOWN = 4  # recognised header cells that make a row the header
GROUP = "resources"  # 链接资源情况, the merged cell over the two amounts

_EXACT: dict[str, str] = {}
for _key, _words in {
    "seq": "序号 编号 序",
    "name": "活动名称 名称 活动主题 活动题目 项目名称 活动项目",
    "organizations": "参与活动的单位或社会组织名称 参与活动的单位或社会组织 参与单位 "
    "参与活动的单位 参与单位或社会组织 参与活动单位 参与单位名称 参与活动的单位名称 "
    "参与活动的单位或社会组织团队名称 参与组织 参与机构 主办单位 承办单位 组织单位 参与单位或组织",
    "participants": "参与人次 参与人数 参加人次 参加人数 参与人员 参与人员人次 参与人员数",
    "dates": "活动开展时间 活动时间 开展时间 活动日期 时间 日期 开展日期 活动开展日期",
    "location": "活动地点 地点 开展地点 活动地址 地址 活动开展地点",
    "content": "活动内容 内容 主要内容 活动简介 活动开展情况 活动情况",
    "service_areas": "服务领域 服务对象 服务类别 服务群体",
    "beneficiaries": "受益人次 受益人数 受益群众人次 受益对象 受益群众",
    "funds": "链接资金 资金 链接资金金额 资金金额 链接资金数",
    "materials": "链接物资折价 链接物资 物资折价 物资 链接物资折合 物资折价金额 链接物资价值",
    "remarks": "备注 备考",
    GROUP: "链接资源情况 链接资源",
}.items():
    for _word in _words.split():
        _EXACT[_word] = _key

_BRACKETS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def header_key(text: str) -> str | None:
    """The column key for a header cell, GROUP, or None when it is not a known header."""
    return header_match(text)[0]


# Wordings seen beyond the lists above, by how they end or what they hold. A column found
# only this way gives way to one with an exact name (a sheet with both 受益人次 and
# 服务人次 reads 受益人次).
_ENDINGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("活动名称", "活动主题", "项目名称", "活动题目"), "name"),
    (("时间", "日期"), "dates"),
    (("地点", "地址"), "location"),
    (("内容", "简介", "情况简介"), "content"),
)


def header_match(text: str) -> tuple[str | None, bool]:
    """(column key or GROUP or None, whether the header is one of the known names)."""
    norm = normalise(text)
    if not norm:
        return None, False
    base = _BRACKETS.sub("", norm).rstrip(":：*")
    key = _EXACT.get(base)
    if key is not None:
        return key, True
    if _TOTAL_HEADER.search(base):
        return None, False  # 合计（元）, 资金合计: sums, never an activity's own figure
    # Longer wordings people use: 服务领域（老年人…）, 参与活动的单位或社会组织（团队）名称.
    if base.startswith(("服务领域", "服务对象")) and not base.endswith(("人次", "人数")):
        return "service_areas", True
    if base.startswith(("参与", "参加")) and base.endswith(("人次", "人数")):
        return "participants", True
    if base.startswith("受益") and base.endswith(("人次", "人数")):
        return "beneficiaries", True
    if base.startswith("参与") and ("单位" in base or "社会组织" in base):
        return "organizations", True
    if base.startswith("链接资金"):
        return "funds", True
    if base.startswith("链接物资"):
        return "materials", True
    if base.startswith("服务") and base.endswith(("人次", "人数")):
        return "beneficiaries", False  # 服务人次, 服务对象人次
    if "填报" in base:
        return None, False
    for endings, ending_key in _ENDINGS:
        if base.endswith(endings):
            return ending_key, False
    if "物资" in base:
        return "materials", False  # 捐赠物资折价, 链接社会物资
    if "资金" in base:
        return "funds", False  # 链接社会资金, 筹集资金
    return None, False


def header_text(value: Cell) -> str:
    """The header as found in the file, on one line (for messages)."""
    return "".join(text_of(value).split())


@dataclass(frozen=True)
class HeaderColumn:
    index: int
    key: str | None  # None: an unknown column, ignored
    text: str  # as found in the file
    wan: bool  # the header says the amounts are in 万元


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index of the (first) header row
    data_start: int  # 0-based index of the first row after the header
    columns: list[HeaderColumn]
    names_row: int = -1  # the row with the column names (below any grouping rows)
    # Columns under a 链接资源情况 with no row naming them, read as the template's two
    # amounts by their place (the readers say so).
    by_place: tuple[int, ...] = ()
    # Each column's header as found (the names row, with the rows below it), for naming
    # a column the finder could not name.
    texts: tuple[str, ...] = ()

    @property
    def label_row(self) -> int:
        return self.row if self.names_row < 0 else self.names_row


def find_header(rows: list[list[Cell]]) -> Header | None:
    """The header: the first row with MIN_KNOWN column names, the rows under it that name
    the columns of a group (链接资金 under 链接资源情况), and the grouping rows above it
    (活动基本情况 over several columns; 序号 and 备注 merged down from there)."""
    for r in range(min(len(rows), SCAN_ROWS)):
        matches = [header_match(v) if type(v) is str else (None, False) for v in rows[r]]
        keys = [k for k, _ in matches]
        known = {k for k in keys if k and k != GROUP}
        if len(known) < MIN_KNOWN:
            continue
        texts = [header_text(v) for v in rows[r]]
        exact = [e for _, e in matches]
        start = _rows_below(rows, r, keys, texts, exact)
        bands = _bands_above(rows, r, start)
        if bands:
            _from_bands(bands, keys, texts, exact)
        by_place = _group_by_place(keys, texts, exact)
        _drop_weak_duplicates(keys, exact)
        columns = [
            HeaderColumn(c, None if k == GROUP else k, texts[c], "万元" in normalise(texts[c]))
            for c, k in enumerate(keys)
            if texts[c] and k != GROUP
        ]
        return Header(bands[-1][0] if bands else r, start, columns, r, by_place, tuple(texts))
    return None


# Under 链接资源情况, in the order of attachment 1.
GROUP_AMOUNTS = (("funds", "链接资金"), ("materials", "链接物资折价"))


def _group_by_place(keys: list, texts: list[str], exact: list[bool]) -> tuple[int, ...]:
    """A 链接资源情况 that no row below names the columns of (only the template's first
    header row was copied, or a hand-made one-row header): its own column and the unnamed
    one after it are 链接资金 and 链接物资折价, as in the template. With no unnamed
    column beside it (链接资源情况 right before 备注) nothing is guessed; its figures are
    then reported as in a column without a name."""
    placed: list[int] = []
    for group in _group_spans(texts, keys):
        if keys[group.start] != GROUP:
            continue  # named by the row below
        free = [c for c in group if c == group.start or c >= len(texts) or not texts[c]][:2]
        if len(free) < 2:
            continue
        unit = "（万元）" if "万元" in normalise(texts[group.start]) else "（元）"
        _widen(keys, texts, exact, free[-1] + 1)
        for c, (key, name) in zip(free, GROUP_AMOUNTS, strict=True):
            keys[c], texts[c], exact[c] = key, name + unit, True
            placed.append(c)
    return tuple(placed)


def column_label(index: int, text: str = "") -> str:
    """A column the finder could not name, as the user finds it: by its letter, with its
    header if it has one (第 J 列（链接资源情况）, 第 K 列（无表头）)."""
    return f"第 {xl_col_to_name(index)} 列（{text or '无表头'}）"


SUB_ROWS = 2  # rows under the column names: a group's columns, and theirs
BAND_ROWS = 3  # grouping rows above the column names


def _widen(keys: list, texts: list[str], exact: list[bool], width: int) -> None:
    while len(keys) < width:
        keys.append(None)
        texts.append("")
        exact.append(False)


def _rows_below(rows: list[list[Cell]], r: int, keys: list, texts: list[str],
                exact: list[bool]) -> int:
    """Take the header rows under row r into keys/texts/exact; the first data row."""
    start = r + 1
    for depth in range(SUB_ROWS):
        below = rows[start] if start < len(rows) else []
        groups = _group_spans(texts, keys)
        # Past the first, a row is only taken under a group still open (链接资源情况 in the
        # row above): a lone activity named like a header word is not a header.
        if depth and not groups:
            break
        # The same row twice is the header pasted again (then read as such), not its
        # second row.
        if [header_text(v) for v in below] == [header_text(v) for v in rows[start - 1]]:
            break
        if not _is_subheader(below, groups):
            break
        for c, sub_key, exact_sub in _subheader_keys(below, groups):
            _widen(keys, texts, exact, c + 1)
            keys[c], texts[c], exact[c] = sub_key, header_text(below[c]), exact_sub
        start += 1
    return start


# Lines above the header that are never a grouping row: the title, 附件1, the unit,
# 填报人 and 填报时间 lines (a label with a colon).
_NOT_BAND = re.compile(r"[:：]|填报|统计表$|^附件|科室")


def _bands_above(rows: list[list[Cell]], r: int, start: int) -> list[tuple[int, list[Cell]]]:
    """(row index, row) of the grouping rows right above row r, nearest first.

    A grouping row holds column names merged down (序号, 备注: their cells below are
    empty) or labels over columns that are named below (活动基本情况 over 活动名称…);
    the title and the lines with 填报人 and the like are not, nor a row with one label
    that is not a column name (the title in its merged cell)."""
    bands: list[tuple[int, list[Cell]]] = []
    for u in range(r - 1, max(r - 1 - BAND_ROWS, -1), -1):
        row = rows[u]
        filled = [(c, v) for c, v in enumerate(row) if v != "" and v is not None]
        if not filled or any(type(v) is not str for _c, v in filled):
            break
        under = rows[u + 1:start]
        named = below = 0
        for c, v in filled:
            text = normalise(v)
            if _NOT_BAND.search(text):
                return bands
            if header_key(v) is not None:
                named += 1
            elif any(c < len(row_below) and row_below[c] not in ("", None)
                     for row_below in under):
                below += 1
            else:
                return bands
        if not named and below < 2:
            break
        bands.append((u, row))
    return bands


def _from_bands(bands: list[tuple[int, list[Cell]]], keys: list, texts: list[str],
                exact: list[bool]) -> None:
    """Columns left unnamed below get the column name above them (序号 merged down from
    the grouping row); cells under a grouping 链接资源情况 that are no column name are
    its two amounts by their place, as in the second header row."""
    for _u, row in bands:  # nearest first: the first name found above a column wins
        _widen(keys, texts, exact, len(row))
        for c, value in enumerate(row):
            if type(value) is not str or texts[c]:
                continue
            key, is_exact = header_match(value)
            if key is not None and key != GROUP:
                keys[c], texts[c], exact[c] = key, header_text(value), is_exact
        band_texts = [header_text(v) for v in row]
        band_keys = [header_key(v) if type(v) is str else None for v in row]
        for group in _group_spans(band_texts, band_keys):
            places = iter(("funds", "materials"))
            for c in group:
                if c >= len(texts) or not texts[c] or is_total_header(texts[c]):
                    continue
                place = next(places, None)
                if keys[c] is None and place is not None:
                    keys[c], exact[c] = place, True


_TOTAL_HEADER = re.compile(r"合计|总计|小计")


def is_total_header(text: str) -> bool:
    """A column of sums (合计（元）beside 链接资金 and 链接物资折价): not an activity's."""
    return bool(_TOTAL_HEADER.search(normalise(text)))


def _group_spans(texts: list[str], keys: list[str | None]) -> list[range]:
    """The columns under each 链接资源情况: from it to the next filled header cell."""
    spans = []
    for c, key in enumerate(keys):
        if key == GROUP:
            end = next((i for i in range(c + 1, len(texts)) if texts[i]), len(texts) + 2)
            spans.append(range(c, max(end, c + 2)))
    return spans


def _is_subheader(row: list[Cell], groups: list[range]) -> bool:
    """Every filled cell is a header word or sits under 链接资源情况, and one at least is
    (链接资金（元）…)."""
    filled = [(c, v) for c, v in enumerate(row) if v != ""]
    if not filled:
        return False
    return all(type(v) is str and (header_key(v) is not None or any(c in g for g in groups))
               for c, v in filled)


def _subheader_keys(row: list[Cell], groups: list[range]):
    """(column, key, exact?) of the filled cells of the second header row. Under
    链接资源情况 a cell is funds or materials by its words (资金/金额, 物资/实物), or else
    by its place: the first is 链接资金, the second 链接物资折价, as in attachment 1. A
    合计 column there is neither."""
    for group in groups:
        under = [c for c in group if c < len(row) and type(row[c]) is str and row[c].strip()]
        place = 0
        for c in under:
            norm = normalise(row[c])
            if is_total_header(norm):
                yield c, None, True
                continue
            if "物资" in norm or "实物" in norm:
                key = "materials"
            elif "资金" in norm or "金额" in norm or "现金" in norm:
                key = "funds"
            else:
                key = ("funds", "materials")[place] if place < 2 else None
            place += 1
            yield c, key, True
    in_groups = {c for g in groups for c in g}
    for c, value in enumerate(row):
        if c in in_groups or type(value) is not str:
            continue
        sub_key, exact = header_match(value)
        if sub_key:  # GROUP too: its own columns may be named in the row below
            yield c, sub_key, exact


def _drop_weak_duplicates(keys: list[str | None], exact: list[bool]) -> None:
    """A column known only by its ending gives way to one with the exact name."""
    exact_keys = {k for k, e in zip(keys, exact, strict=True) if k and e}
    for c, key in enumerate(keys):
        if key in exact_keys and not exact[c]:
            keys[c] = None


# ---------------------------------------------------------------- lines above the header

_REPORTER_LABEL = re.compile(
    r"填\s*报\s*人(?:员)?(?:姓名)?(?:及|和|、|/)?(?:手机号码|手机号|手机|联系电话|电话|联系方式)?\s*[:：]?")
# A phone word is a label only as a word of its own (at the start or after a space or
# punctuation, and before a colon, the number or the end): in 王电话 or 号码东 it is a name.
_PHONE_WORDS = re.compile(
    r"(?:^|(?<=[\s,，、;；/()（）]))(?:手机号码|手机号|手机|联系电话|电话|联系方式|号码)"
    r"\s*(?:[:：]|(?=[+\d]|$))")
_MOBILE = re.compile(r"(?:\+?86[\s-]*)?(1(?:[\s\-‐–—]*\d){10})(?!\d)")
_ANY_NUMBER = re.compile(r"\d[\d\s\-‐–—()（）]{5,}\d")
# 填报时间 is a label when a colon or a date follows it (2022年…, 3月24日, 2022.3.24, or
# the template's blank "    年  月  日"); otherwise it is just text, e.g. part of a name.
_DATE_LABEL = re.compile(
    r"填\s*报\s*(?:时\s*间|日\s*期)\s*(?:[:：]|(?=\d{1,4}\s*[年月./-])|(?=年))")
_OFFICE_LABEL = re.compile(r"^.*?科\s*室\s*[:：]")
_NAME_JUNK = " \t/\\,，、;；:：()（）-—_"
MOBILE_FORMAT = re.compile(r"1[3-9]\d{9}")


@dataclass
class Preamble:
    reporter_name: str = ""
    reporter_phone: str = ""
    phone_text: str = ""  # as written, for the warning
    filled_text: str = ""  # after 填报时间：, as written
    office: str = ""
    reporter_row: int | None = None
    filled_row: int | None = None


def line_text(row: list[Cell]) -> str:
    return " ".join(t for t in (text_of(v) for v in row) if t)


def read_preamble(rows: list[list[Cell]], into: Preamble | None = None,
                  offset: int = 0) -> Preamble:
    """Reporter, phone, date and office from the lines; row numbers are offset + index."""
    found = into or Preamble()
    for r, row in enumerate(rows, offset):
        line = unicodedata.normalize("NFKC", line_text(row))
        if not line:
            continue
        m = _REPORTER_LABEL.search(line)
        if m and found.reporter_row is None:
            found.reporter_row = r
            _read_reporter(line[m.end():], found)
            tail = _DATE_LABEL.search(line)
            if tail is None:
                continue
        m = _DATE_LABEL.search(line)
        if m and found.filled_row is None:
            found.filled_row = r
            found.filled_text = line[m.end():].strip()
            continue
        m = _OFFICE_LABEL.search(line)
        if m and not found.office:
            found.office = line[m.end():].strip()
    return found


def _read_reporter(rest: str, found: Preamble) -> None:
    # Another label on the same line (填报时间：…) ends the reporter part.
    cut = _DATE_LABEL.search(rest)
    if cut:
        rest = rest[:cut.start()]
    rest = _PHONE_WORDS.sub(" ", rest)
    m = _MOBILE.search(rest) or _ANY_NUMBER.search(rest)
    if m:
        found.phone_text = m.group(0).strip()
        found.reporter_phone = "".join(ch for ch in m.group(0) if ch.isdigit())
        if found.reporter_phone.startswith("86") and len(found.reporter_phone) == 13:
            found.reporter_phone = found.reporter_phone[2:]
        rest = rest[:m.start()] + " " + rest[m.end():]
    found.reporter_name = " ".join(rest.split()).strip(_NAME_JUNK)
