"""Turn one cell, as people type it in Excel or WPS, into a value of the activity row.

Each parser takes what calamine gives (str, float, int, bool, date, datetime, time,
timedelta; "" for an empty cell) and returns the value or raises CellError with a Chinese
message that quotes the cell. Plain numbers and real date cells take a fast path; text is
normalised (full-width to half-width with NFKC) only when the fast path does not apply.
Results for text are cached per parser, because a table repeats the same dates and
service areas on thousands of rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

MAX_COUNT = 100_000_000  # 1亿人次: above that it is a typing slip, and it fits any int column
MAX_FEN = 100_000_000_000_00  # 1000亿元

EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def nfkc(text: str) -> str:
    """Full-width digits, letters, brackets and punctuation to half-width; spaces removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def shown(value: object) -> str:
    """The cell as the user sees it, for quoting in a message."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"


# Written for "nothing" in counts and amounts.
ZERO_WORDS = frozenset(
    ["", "无", "空", "-", "--", "—", "——", "–", "―", "/", "\\", "0", "暂无", "没有", "/无"])

_COUNT = re.compile(
    r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万)?(人次|人数|人|名|次|位|个|户)?")
_AMOUNT = re.compile(
    r"(?:¥|RMB|人民币)?([+-]?)(?:¥)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?(万元|万|元)?整?")
_APPROX = re.compile(r"约|近|余|多|左右|以上|超过|大概")


_NUMBER = re.compile(r"[+-]?¥?\d[\d,]*(?:\.\d+)?(?:万元|万|元|人次|人数|人|名|次|位|个|户)?")


def is_number(value: object) -> bool:
    """A figure (a count or an amount, with or without its unit), not text."""
    kind = type(value)
    return kind is int or kind is float or (kind is str and bool(_NUMBER.fullmatch(nfkc(value))))


def text_of(value: object) -> str:
    """A text column (名称, 地点, 内容, 备注): the cell as text, trimmed."""
    if type(value) is str:
        text = value.strip()
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is bool:
        return "是" if value else "否"
    return str(value).strip()


def parse_count(value: object, unit: str = "人次") -> int:
    """A whole number of people (参与人次, 受益人次)."""
    kind = type(value)
    if kind is float:
        if value.is_integer() and 0 <= value <= MAX_COUNT:  # type: ignore[union-attr]
            return int(value)  # type: ignore[arg-type]
        return _bad_count(value, unit)
    if kind is int:
        if 0 <= value <= MAX_COUNT:  # type: ignore[operator]
            return value  # type: ignore[return-value]
        return _bad_count(value, unit)
    if kind is str:
        text = value.strip()  # type: ignore[union-attr]
        if text.isascii() and text.isdigit():
            number = int(text)
            return number if number <= MAX_COUNT else _bad_count(value, unit)
        return _count_from_text(text, unit)
    raise CellError(f"“{shown(value)}”不是{unit}，请填写整数，如 12")


def _bad_count(value: object, unit: str) -> int:
    number = float(value)  # type: ignore[arg-type]
    if number < 0:
        raise CellError(f"{unit}不能为负数（填的是 {shown(value)}）")
    if number > MAX_COUNT:
        raise CellError(f"{unit}“{shown(value)}”过大（上限 1 亿），请核对")
    raise CellError(f"“{shown(value)}”不是整数{unit}，请填写整数，如 12")


def _count_from_text(text: str, unit: str) -> int:
    norm = nfkc(text)
    if norm in ZERO_WORDS:
        return 0
    m = _COUNT.fullmatch(norm)
    if m is None:
        if _APPROX.search(norm):
            raise CellError(f"“{shown(text)}”不是确切的{unit}，请填写整数，不要写“约”“余”“多”等字")
        raise CellError(f"“{shown(text)}”不是整数{unit}，请填写阿拉伯数字，如 12")
    sign, whole, frac, wan, _unit = m.groups()
    number = Decimal(whole.replace(",", "") + ("." + frac if frac else ""))
    if wan:
        number *= 10_000
    if sign == "-" and number:
        raise CellError(f"{unit}不能为负数（填的是 {shown(text)}）")
    if number != number.to_integral_value():
        raise CellError(f"“{shown(text)}”不是整数{unit}，请填写整数，如 12")
    if number > MAX_COUNT:
        raise CellError(f"{unit}“{shown(text)}”过大（上限 1 亿），请核对")
    return int(number)


def parse_amount(value: object, wan_default: bool = False) -> int:
    """An amount in yuan (链接资金, 链接物资折价) as whole fen.

    ``wan_default``: the column header says 万元, so a bare number is in units of 10,000.
    """
    scale = 1_000_000 if wan_default else 100
    kind = type(value)
    if kind is float or kind is int:
        if not -1e15 < value < 1e15:  # type: ignore[operator]  # also NaN and infinities
            raise CellError(f"金额“{shown(value)}”无效或过大，请核对单位（元）")
        fen = value * scale  # type: ignore[operator]
        whole = round(fen)
        # Float cells carry binary noise (0.1 + 0.2, or a few ulps on big amounts); a real
        # third decimal is at least 0.1 fen off.
        if abs(fen - whole) > max(1e-3, abs(fen) * 2e-15):
            raise CellError(
                f"金额“{shown(value)}”超过两位小数，请保留到分（两位小数），如 1234.50")
        return _checked_fen(whole, value)
    if kind is str:
        text = value.strip()  # type: ignore[union-attr]
        if text.isascii() and text.isdigit():
            return _checked_fen(int(text) * scale, value)
        return _amount_from_text(text, wan_default)
    raise CellError(f"“{shown(value)}”不是金额，请填写数字（元），如 1234.50")


def _checked_fen(fen: int, shown_value: object) -> int:
    if fen < 0:
        raise CellError(f"金额不能为负数（填的是 {shown(shown_value)}）")
    if fen > MAX_FEN:
        raise CellError(f"金额“{shown(shown_value)}”过大，请核对单位（元）")
    return fen


def _amount_from_text(text: str, wan_default: bool) -> int:
    norm = nfkc(text)
    if norm in ZERO_WORDS:
        return 0
    m = _AMOUNT.fullmatch(norm)
    if m is None:
        if _APPROX.search(norm):
            raise CellError(f"“{shown(text)}”不是确切的金额，请填写数字（元），如 1234.50")
        raise CellError(f"“{shown(text)}”不是金额，请填写数字（元），如 1234.50")
    sign, whole, frac, unit = m.groups()
    try:
        yuan = Decimal(whole.replace(",", "") + ("." + frac if frac else ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise CellError(f"“{shown(text)}”不是金额，请填写数字（元）") from exc
    if unit in ("万元", "万") or (unit is None and wan_default):
        yuan *= 10_000
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise CellError(f"金额“{shown(text)}”超过两位小数，请保留到分（两位小数），如 1234.50")
    if sign == "-" and fen:
        raise CellError(f"金额不能为负数（填的是 {shown(text)}）")
    return _checked_fen(int(fen), text)


# ---------------------------------------------------------------- dates

_Y = r"(?:(\d{4})\s*[年./-]\s*)"
_MD = r"(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?"
_SEP = r"\s*(?:-+|~+|至|到|—+|–|―|〜|－)\s*"
_END = r"(?:(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*[月./-]\s*)?(\d{1,2})\s*[日号]?"
_DATE_RANGE = re.compile(f"{_Y}?{_MD}(?:{_SEP}{_END})?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Words and times around a date that do not change it.
_DATE_NOISE = re.compile(
    r"[(（][^)）]*[)）]|上午|下午|中午|晚上|早上|傍晚|全天|当天|左右|期间"
    r"|(?:星期|周)[一二三四五六日天]|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[-~至到—]+\s*"
    r"\d{1,2}[:：]\d{2})?")
_LIST_SPLIT = re.compile(r"[、,，;；和及]")
_DAY_ONLY = re.compile(r"(\d{1,2})\s*[日号]")


@dataclass(frozen=True)
class DateCell:
    start: date
    end: date
    note: str = ""  # a warning about how the cell was understood


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            f"“{shown(text)}”不是有效的日期（{year}年{month}月{day}日不存在）") from None


def date_from_serial(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_dates(value: object, year: int) -> DateCell:
    """活动开展时间: a date or a range, from a date cell, a serial number or text."""
    if isinstance(value, datetime):
        day = value.date()
        return DateCell(day, day)
    if isinstance(value, date):
        return DateCell(value, value)
    kind = type(value)
    if kind is float or kind is int:
        return _dates_from_number(value, year)  # type: ignore[arg-type]
    if kind is str:
        return dates_from_text(value, year)  # type: ignore[arg-type]
    raise CellError(f"“{shown(value)}”不是日期，请填写如 2022-03-18 或 3月18日")


def _dates_from_number(number: float, year: int) -> DateCell:
    if 20_000 <= number < 80_000:  # an Excel serial: 1954 to 2119
        day = date_from_serial(number)
        return DateCell(day, day)
    if 19_000_101 <= number <= 21_001_231 and float(number).is_integer():
        return dates_from_text(str(int(number)), year)
    if 1 <= number < 13 and not float(number).is_integer():
        # "3.18" typed into a General cell became the number 3.18; "3.10" became 3.1.
        text = repr(float(number))
        cell = dates_from_text(text, year)
        if len(text.split(".")[1]) == 1:
            note = (f"“{text}”按{cell.start.month}月{cell.start.day}日处理；如果是"
                    f"{cell.start.month}月{cell.start.day}0日，请写成“{cell.start.month}月"
                    f"{cell.start.day}0日”")
            return DateCell(cell.start, cell.end, note)
        return cell
    raise CellError(f"“{shown(number)}”不是日期，请填写如 2022-03-18 或 3月18日")


_ONGOING = re.compile(r"(?:起|开始|以来|至今)$")


def dates_from_text(text: str, year: int) -> DateCell:
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = _DATE_NOISE.sub("", norm).strip(" -~至到—")
    ongoing = _ONGOING.search(norm)
    if ongoing and norm[:ongoing.start()].strip():
        # "3月18日起": an activity still going on, counted on the day it began.
        cell = dates_from_text(norm[:ongoing.start()], year)
        return DateCell(cell.start, cell.end, f"“{shown(text)}”按开始日期 "
                                              f"{cell.start:%-m月%-d日} 处理")
    if not norm:
        raise CellError(f"“{shown(text)}”不是日期，请填写如 2022-03-18 或 3月18日")
    m = _DATE_RANGE.fullmatch(norm)
    if m is not None:
        return _range_from_match(m.groups(), year, text)
    m = _COMPACT.fullmatch(norm)
    if m is not None:
        day = _make(int(m[1]), int(m[2]), int(m[3]), text)
        return DateCell(day, day)
    return _dates_from_list(norm, year, text)


def _range_from_match(groups: tuple[str | None, ...], year: int, text: str) -> DateCell:
    y1, m1, d1, y2, m2, d2 = groups
    start_year = int(y1) if y1 else year
    start = _make(start_year, int(m1), int(d1), text)  # type: ignore[arg-type]
    if d2 is None:
        return DateCell(start, start)
    end_year = int(y2) if y2 else start_year
    end = _make(end_year, int(m2) if m2 else start.month, int(d2), text)
    if end < start:
        raise CellError(f"“{shown(text)}”的结束日期早于开始日期")
    return DateCell(start, end)


def _dates_from_list(norm: str, year: int, text: str) -> DateCell:
    """3月18日、19日 or 3月18日，3月20日: several days, taken as the range first..last."""
    days: list[date] = []
    for part in filter(None, (p.strip() for p in _LIST_SPLIT.split(norm))):
        m = _DATE_RANGE.fullmatch(part)
        if m is not None:
            cell = _range_from_match(m.groups(), year, text)
            days += [cell.start, cell.end]
            continue
        m = _DAY_ONLY.fullmatch(part)
        if m is not None and days:
            days.append(_make(days[-1].year, days[-1].month, int(m[1]), text))
            continue
        raise CellError(
            f"“{shown(text)}”不是日期，请填写如 2022-03-18、3月18日或 3月25日至3月27日")
    if len(days) < 2:  # pragma: no cover - a single date matches _DATE_RANGE
        raise CellError(f"“{shown(text)}”不是日期")
    start, end = min(days), max(days)
    return DateCell(start, end, f"“{shown(text)}”包含多个日期，按 {start:%-m月%-d日}至"
                                f"{end:%-m月%-d日} 处理")


# ---------------------------------------------------------------- lists

_ORG_SPLIT = re.compile(r"[、，,；;\n]+")
_AREA_SPLIT = re.compile(r"[、，,；;/／\s]+|和|及|与|以及")
_OTHER_PAREN = re.compile(r"其[他它]\s*[（(:：]?\s*([^）)]*)[）)]?")

# Words people write for the service areas of the notice. A label not listed here still
# matches itself and itself without a trailing 人/群体.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "老年人": ("老年", "老人", "长者", "高龄", "空巢", "失能", "敬老"),
    "残疾人": ("残疾", "残障", "助残", "视障", "听障", "肢残", "智障"),
    "妇女": ("妇女", "女性", "妈妈", "母亲"),
    "儿童青少年": ("儿童", "青少年", "少年", "未成年", "学生", "幼儿", "孩子", "青年"),
    "困难群体": ("困难", "低保", "特困", "贫困", "低收入", "弱势", "孤寡", "救助"),
}


def split_organizations(value: object) -> list[str]:
    text = text_of(value)
    if not text:
        return []
    seen: dict[str, None] = {}
    for part in _ORG_SPLIT.split(text):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


@dataclass(frozen=True)
class Areas:
    labels: tuple[str, ...]
    other: str  # free text that goes with the 其他 label
    unknown: tuple[str, ...]  # words taken as 其他, for the warning


class AreaMatcher:
    """Maps 服务领域 text to the campaign's labels; the label starting with 其他 takes text."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.other = next((lb for lb in labels if lb.startswith(("其他", "其它"))), None)
        self.keywords: list[tuple[str, tuple[str, ...]]] = []
        for label in labels:
            if label == self.other:
                continue
            words = {nfkc(label), *SYNONYMS.get(label, ())}
            for suffix in ("群体", "人"):
                if label.endswith(suffix) and len(label) > len(suffix) + 1:
                    words.add(label[: -len(suffix)])
            self.keywords.append((label, tuple(sorted(words, key=len, reverse=True))))
        self._cache: dict[str, Areas] = {}

    def __call__(self, value: object) -> Areas:
        text = text_of(value)
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> Areas:
        chosen: set[str] = set()
        others: list[str] = []
        unknown: list[str] = []
        rest = unicodedata.normalize("NFKC", text)
        # 其他（社区居民、志愿者）: the text in brackets belongs to 其他 as it is.
        for m in _OTHER_PAREN.finditer(rest):
            if m[1].strip():
                others.append(m[1].strip())
            chosen.add(self.other or "")
        rest = _OTHER_PAREN.sub(" ", rest)
        for token in _AREA_SPLIT.split(rest):
            token = token.strip().removesuffix("等").strip("。.")
            if not token:
                continue
            hits = [label for label, words in self.keywords if any(w in token for w in words)]
            if hits:
                chosen.update(hits)
            else:
                unknown.append(token)
                others.append(token)
        if others or "" in chosen:
            chosen.discard("")
            if self.other:
                chosen.add(self.other)
        labels = tuple(lb for lb in self.labels if lb in chosen)
        return Areas(labels, "、".join(others) if self.other else "", tuple(unknown))
