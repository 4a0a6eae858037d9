"""Find the header of attachment 1 in a sheet and the lines above it.

Columns are known by their header text, normalised: spaces and line breaks removed, full-
and half-width brackets alike, the parenthetical part (（元）, （团队）, the list after
服务领域) ignored for matching. The header is in one row or two: in the template
链接资源情况 is merged over 链接资金（元）and 链接物资折价（元）in the second row, and the
other columns are merged vertically, so their second-row cells are empty.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def find_header(rows: list[list[Cell]]) -> Header | None:
    for r in range(min(len(rows), SCAN_ROWS)):
        matches = [header_match(v) if type(v) is str else (None, False) for v in rows[r]]
        keys = [k for k, _ in matches]
        known = {k for k in keys if k and k != GROUP}
        if len(known) < MIN_KNOWN:
            continue
        texts = [header_text(v) for v in rows[r]]
        exact = [e for _, e in matches]
        second = rows[r + 1] if r + 1 < len(rows) else []
        groups = _group_spans(texts, keys)
        # The same row twice is the header pasted again (then read as such), not its
        # second row.
        repeated = [header_text(v) for v in second] == texts
        if not repeated and _is_subheader(second, groups):
            for c, sub_key, exact_sub in _subheader_keys(second, groups):
                while c >= len(keys):
                    keys.append(None)
                    texts.append("")
                    exact.append(False)
                keys[c], texts[c], exact[c] = sub_key, header_text(second[c]), exact_sub
            start = r + 2
        else:
            start = r + 1
        _drop_weak_duplicates(keys, exact)
        columns = [
            HeaderColumn(c, None if k == GROUP else k, texts[c], "万元" in normalise(texts[c]))
            for c, k in enumerate(keys)
            if texts[c] and k != GROUP
        ]
        return Header(r, start, columns)
    return None


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
    by its place: the first is 链接资金, the second 链接物资折价, as in attachment 1."""
    for group in groups:
        under = [c for c in group if c < len(row) and type(row[c]) is str and row[c].strip()]
        for place, c in enumerate(under):
            norm = normalise(row[c])
            if "物资" in norm or "实物" in norm:
                key = "materials"
            elif "资金" in norm or "金额" in norm or "现金" in norm:
                key = "funds"
            else:
                key = ("funds", "materials")[place] if place < 2 else None
            yield c, key, True
    in_groups = {c for g in groups for c in g}
    for c, value in enumerate(row):
        if c in in_groups or type(value) is not str:
            continue
        sub_key, exact = header_match(value)
        if sub_key and sub_key != GROUP:
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
