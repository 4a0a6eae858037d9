"""The three lists of a place as text, one line per entry: the same text in the web form and
in a cell of the .xlsx register, so both are read by the same rules and give the same errors.

    服务清单  个案服务：困境儿童          (项目：对象)
    服务人员  王芳，站长，社会工作师，13800001234   (姓名，岗位，资格，电话)
    服务流程  接待登记                     (one step per line, in order)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_ITEMS = 30
# Only a line break starts a new entry (Alt+Enter inside a spreadsheet cell): a ； is part of
# the text ("个案服务：困境儿童；留守儿童" is one service for two groups), as the help says.
_LINES = re.compile(r"[\r\n]+")
_ITEM_SPLIT = re.compile(r"[：:]")
_STAFF_SPLIT = re.compile(r"[，,|｜]")
# Mobile or landline, with spaces or hyphens: 13800001234, 0471-6946872, 0471 6946872.
PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")
QUALIFICATIONS = ("助理社会工作师", "社会工作师", "高级社会工作师")


class ListError(ValueError):
    """One Chinese sentence naming the line that is wrong."""


@dataclass(frozen=True)
class Item:
    name: str
    audience: str = ""


@dataclass(frozen=True)
class Staff:
    name: str
    role: str = ""
    qualification: str = ""
    phone: str = ""


def _lines(text: str, what: str) -> list[str]:
    lines = [line.strip() for line in _LINES.split(text or "") if line.strip()]
    if len(lines) > MAX_ITEMS:
        raise ListError(f"{what}最多 {MAX_ITEMS} 条，现有 {len(lines)} 条")
    return lines


def _check_length(value: str, limit: int, n: int, what: str) -> str:
    if len(value) > limit:
        raise ListError(f"第 {n} 条的{what}过长（{len(value)} 字，上限 {limit} 字）")
    return value


def parse_items(text: str) -> list[Item]:
    items = []
    for n, line in enumerate(_lines(text, "服务清单"), 1):
        name, audience = _split_item(line)
        if not name:
            raise ListError(f"服务清单第 {n} 条没有服务项目（格式：项目：对象）")
        items.append(Item(_check_length(name, 100, n, "服务项目"),
                          _check_length(audience, 100, n, "服务对象")))
    return items


def _split_item(line: str) -> tuple[str, str]:
    parts = _ITEM_SPLIT.split(line, 1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def parse_staff(text: str) -> list[Staff]:
    staff = []
    for n, line in enumerate(_lines(text, "服务人员"), 1):
        parts = [p.strip() for p in _STAFF_SPLIT.split(line)]
        if len(parts) > 4:
            raise ListError(f"服务人员第 {n} 条多于 4 项（格式：姓名，岗位，资格，电话）")
        name, role, qualification, phone = (parts + ["", "", ""])[:4]
        phone = unicodedata.normalize("NFKC", phone)  # full-width digits as typed
        if not name:
            raise ListError(f"服务人员第 {n} 条没有姓名（格式：姓名，岗位，资格，电话）")
        if phone and not PHONE.match(phone):
            raise ListError(f"服务人员第 {n} 条的电话“{phone}”不是电话号码")
        staff.append(Staff(_check_length(name, 50, n, "姓名"), _check_length(role, 50, n, "岗位"),
                           _check_length(qualification, 50, n, "资格"), phone))
    return staff


def parse_steps(text: str) -> list[str]:
    return [_check_length(re.sub(r"^\d+\s*[.、．)]\s*", "", line), 200, n, "步骤")
            for n, line in enumerate(_lines(text, "服务流程"), 1)]


def items_text(items) -> str:
    return "\n".join(f"{i.name}：{i.audience}" if i.audience else i.name for i in items)


def staff_text(staff) -> str:
    return "\n".join("，".join((s.name, s.role, s.qualification, s.phone)).rstrip("，")
                     for s in staff)


def steps_text(steps) -> str:
    return "\n".join(s.text if hasattr(s, "text") else s for s in steps)
