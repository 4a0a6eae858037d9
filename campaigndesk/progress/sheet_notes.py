"""The two lines under the progress table (说明 and 联系人), from a campaign's own dates and
contacts, written as attachment 1 of the notice writes them:

    说明： 此表于3月24日、31日下午17:00前报至自治区民政厅慈善社工处。
    联系人：张璐 电子邮箱：mz6946872@163.com 联系电话：0471-6946872

Plain values in, text out (no Django): exports.py reads the campaign and calls this.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

DEPARTMENT = "自治区民政厅慈善社工处"


class ContactLike(Protocol):
    """A campaign contact: campaigns.models.Contact, ContactData or any such record."""

    name: str
    office: str
    phone: str
    email: str


def _period(when: datetime) -> str:
    """上午/中午/下午/晚上 before a 24-hour time, as 附件1's 下午17:00."""
    if when.hour < 12:
        return "上午"
    if when.hour < 13:
        return "中午"
    if when.hour < 18:
        return "下午"
    return "晚上"


def _clock(when: datetime) -> str:
    return f"{_period(when)}{when.hour}:{when.minute:02d}"


def deadlines_text(deadlines: Iterable[datetime]) -> str:
    """"3月24日、31日下午17:00": a month is written when it changes, one time at the end
    when all deadlines share it, else each date with its own time. `deadlines` are local
    (Beijing) times; they are put in order here."""
    ordered = sorted(deadlines)
    if not ordered:
        return ""
    one_time = len({(d.hour, d.minute) for d in ordered}) == 1
    parts, month = [], None
    for d in ordered:
        text = f"{d.day}日" if (d.year, d.month) == month else f"{d.month}月{d.day}日"
        month = (d.year, d.month)
        parts.append(text if one_time else text + _clock(d))
    joined = "、".join(parts)
    return joined + _clock(ordered[0]) if one_time else joined


def contact_line(contact: ContactLike) -> str:
    parts = [f"联系人：{contact.name}"]
    if contact.email:
        parts.append(f"电子邮箱：{contact.email}")
    if contact.phone:
        parts.append(f"联系电话：{contact.phone}")
    return " ".join(parts)


def sheet_notes(deadlines: Iterable[datetime], contacts: Iterable[ContactLike]) -> tuple[str, ...]:
    """说明 then one 联系人 line per contact. The office the table goes to is the first
    contact's 处室, else the department's (自治区民政厅慈善社工处)."""
    contacts = list(contacts)
    office = next((c.office.strip() for c in contacts if c.office.strip()), DEPARTMENT)
    when = deadlines_text(deadlines)
    # "说明： " with its space, as attachment 1 prints it.
    first = f"说明： 此表于{when}前报至{office}。" if when else f"说明： 此表报至{office}。"
    return (first, *(contact_line(c) for c in contacts if c.name.strip()))
