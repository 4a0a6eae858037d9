"""Numbers per GB/T 15835—2011 (出版物上数字用法) and consistency with the context."""

from __future__ import annotations

import re
from datetime import date

from .report import Context, Finding

_CN_DIGIT = "〇零一二两三四五六七八九"
# "3千", "5百": with Arabic digits only 万 and 亿 may serve as units (GB/T 15835 §5.1.6).
_MIXED = re.compile(rf"\d+(?:\.\d+)?[十百千](?![米克瓦分帕焦卡])"
                    rf"|[{_CN_DIGIT}十百千]+\d+(?=[万亿名人个元户次])")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?=\d{1,2}月)")
_RANGE_HYPHEN = re.compile(r"(?<=[\d日月])-(?=\d+[日月号时%])|(?<=日)-(?=\d)")
_PERCENT_RANGE = re.compile(r"(?<![\d.%])(\d+(?:\.\d+)?)[—～~\-](\d+(?:\.\d+)?%)")
_UNIT_RANGE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)[—～~\-](\d+(?:\.\d+)?)(万|亿)")
_APPROX = re.compile(r"(?:约|近|大约|将近)\d+(?:\.\d+)?(?:万|亿)?余|(?:约|近)\d+多")
# Dates: optional year, month, day, optional second day of a range.
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
                   r"(?:(?:至|到|—|～|~|-)(?:(\d{1,2})月)?(\d{1,2})[日号])?"
                   r"(?:[（(]?(星期|周)([一二三四五六日天])[）)]?)?")
_WEEKDAYS = "一二三四五六日"
# The activity's 参与人次/受益人次 are person-times: only a number of 人次 is compared with
# them (12名社工, 65名独居老人 count people, not visits: the outside walk of issue 14).
_PEOPLE = re.compile(r"(?:参与|参加)[^，。；]{0,12}?(\d+)(?:余)?人次|(\d+)(?:余)?人次(?=参与|参加)")
# 服务 inside an organisation's or a topic's name (服务中心, 服务内容) counts nobody.
_BENEFIT = re.compile(r"(?:受益|惠及|服务(?!中心|站|队|社|所|机构|项目|内容|流程|手册|台账|清单))"
                      r"[^，。；]{0,10}?(\d+)(?:余)?人次")
# A running total (今年以来累计服务1200人次) is not this activity's count.
_CUMULATIVE = re.compile(r"累计|以来|全年|年初|至今|历年|总计|共计|先后")
# Whose count a number is, from the noun after it: "60名社工" counts participants, never the
# people served, and "300名群众" the people served (issue 14: 60 was "corrected" to 300).
_PARTICIPANT_NOUN = re.compile(r"[^，。；\d]{0,3}?(?:社工|社会工作者|志愿者|工作人员|党员|干部|医生"
                               r"|护士|律师|专家|教师|讲师|老师|骨干|代表|职工|队员)")
_RECIPIENT_NOUN = re.compile(r"[^，。；\d]{0,4}?(?:群众|居民|老人|老年人|儿童|学生|村民|牧民|家庭"
                             r"|残疾人|患者|服务对象|妇女|青少年|市民|困难户)")
_NOUN_OF = {"participants": _RECIPIENT_NOUN, "beneficiaries": _PARTICIPANT_NOUN}
_MONEY = re.compile(r"(?:链接|筹集|募集|争取)([^，。；]{0,10}?)(\d+(?:\.\d+)?)(万)?元")
_GOODS = re.compile(r"物资|折价|实物|价值")  # goods valued in 元 are not the linked funds


def _f(start: int, end: int, text: str, sugg: str | None, msg: str, sev: str) -> Finding:
    return Finding("number", "error" if sev == "error" else "warning", start, end,
                   text[start:end], sugg, msg)


# Full-width digits and Latin letters (３月１８日, ＡＰＰ): GB/T 15835 writes numbers in
# half-width Arabic numerals, and letters are half-width too.
_FULL_WIDTH = re.compile(r"[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]+")


def _usage(text: str, out: list[Finding]) -> None:
    for m in _FULL_WIDTH.finditer(text):
        half = "".join(chr(ord(c) - 0xFEE0) for c in m.group())
        out.append(_f(m.start(), m.end(), text, half,
                      f"“{m.group()}”是全角字符，数字和字母应使用半角“{half}”。", "error"))
    for m in _MIXED.finditer(text):
        out.append(_f(m.start(), m.end(), text, None,
                      "同一数值中阿拉伯数字与汉字数字混用（GB/T 15835）。", "error"))
    for m in _THOUSANDS.finditer(text):
        out.append(_f(m.start(), m.end(), text, m.group().replace(",", ""),
                      "一般出版物中数字不用千分撇分节（GB/T 15835）。", "warning"))
    for m in _SHORT_YEAR.finditer(text):
        out.append(_f(m.start(), m.end(), text, f"20{m[1]}年",
                      "年份不能简写（GB/T 15835），应写全四位。", "error"))
    for m in _RANGE_HYPHEN.finditer(text):
        out.append(_f(m.start(), m.end(), text, "—",
                      "表示数值或时间范围用浪纹线“～”或一字线“—”，也可用“至”。", "warning"))
    for m in _PERCENT_RANGE.finditer(text):
        out.append(_f(m.start(), m.end(), text, f"{m[1]}%—{m[2]}",
                      "百分数范围的前一个数的百分号不能省略（GB/T 15835）。", "warning"))
    for m in _UNIT_RANGE.finditer(text):
        out.append(_f(m.start(), m.end(), text, f"{m[1]}{m[3]}—{m[2]}{m[3]}",
                      "带“万”“亿”的数值范围，前一个数的“万”“亿”不能省略（GB/T 15835）。",
                      "warning"))
    for m in _APPROX.finditer(text):
        out.append(_f(m.start(), m.end(), text, None,
                      "“约”“近”与“余”“多”表示概数，不能同时使用。", "error"))


def _valid(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _dates(text: str, ctx: Context, out: list[Finding]) -> None:
    year = ctx.year
    for m in _DATE.finditer(text):
        y = int(m[1]) if m[1] else year
        mo, d = int(m[2]), int(m[3])
        check_year = y if y is not None else 2000  # a leap year, to validate 2月29日 leniently
        first = _valid(check_year, mo, d)
        if first is None:
            out.append(_f(m.start(), m.end(), text, None, f"日期“{m.group()}”不存在。", "error"))
            continue
        last = first
        if m[5]:
            last = _valid(check_year, int(m[4] or mo), int(m[5])) or first
        if m[7] and y is not None:
            wd = _WEEKDAYS[first.weekday()] if first.weekday() < 6 else "日"
            given = "日" if m[7] == "天" else m[7]
            if given != wd:
                out.append(_f(m.start(), m.end(), text, None,
                              f"{y}年{mo}月{d}日是星期{wd}，与文中“{m[6]}{m[7]}”不符。", "error"))
        if y is None:
            continue
        if ctx.today and first > ctx.today:
            out.append(_f(m.start(), m.end(), text, None,
                          f"日期“{m.group()}”晚于今天（{ctx.today:%Y年%-m月%-d日}）。", "error"))
        elif ctx.campaign_start and ctx.campaign_end and (
                first < ctx.campaign_start or last > ctx.campaign_end):
            out.append(_f(m.start(), m.end(), text, None,
                          f"日期“{m.group()}”不在活动时间（{ctx.campaign_start:%-m月%-d日}至"
                          f"{ctx.campaign_end:%-m月%-d日}）内。", "warning"))
        elif ctx.activity_start and (
                last < ctx.activity_start or first > (ctx.activity_end or ctx.activity_start)):
            out.append(_f(m.start(), m.end(), text, None,
                          f"日期“{m.group()}”与关联活动的开展时间"
                          f"（{ctx.activity_start:%-m月%-d日}）不一致。", "warning"))


def _figures(text: str, ctx: Context, out: list[Finding]) -> None:
    figs = ctx.activity_figures
    checks = ((_PEOPLE, "participants", "参与人次"), (_BENEFIT, "beneficiaries", "受益人次"))
    for rx, key, label in checks:
        if key not in figs:
            continue
        for m in rx.finditer(text):
            g = next(i for i in range(1, (rx.groups or 1) + 1) if m[i] is not None)
            if _NOUN_OF[key].match(text, m.end()) or _CUMULATIVE.search(_sentence_before(
                    text, m.start(g))):
                continue  # a count of the other group of people, or a running total
            if float(m[g]) != float(figs[key]):
                # No one-click change: the registered figure may be the wrong one. The
                # number is in the message: two different ones are two different hints.
                out.append(_f(m.start(g), m.end(g), text, None,
                              f"“{m[g]}”与关联活动登记的{label}（{figs[key]:g}）不一致，"
                              f"请核对。", "warning"))
    if "funds_yuan" in figs:
        for m in _MONEY.finditer(text):
            if _GOODS.search(m[1]) or _CUMULATIVE.search(_sentence_before(text, m.start(2))):
                continue
            value = float(m[2]) * (10000 if m[3] else 1)
            if value != float(figs["funds_yuan"]):
                out.append(_f(m.start(2), m.end(0), text, None,
                              f"“{text[m.start(2):m.end(0)]}”与关联活动登记的链接资金"
                              f"（{figs['funds_yuan']:g}元）不一致。",
                              "warning"))


def _sentence_before(text: str, pos: int) -> str:
    """The sentence up to pos: back to the last 。！？； or line break (今年以来，…累计服务
    2000人次: the running total is said at the sentence's start)."""
    start = max(text.rfind(c, 0, pos) for c in "。！？；\n")
    return text[start + 1:pos]


def check(text: str, context: Context | None) -> list[Finding]:
    ctx = context or Context()
    out: list[Finding] = []
    _usage(text, out)
    _dates(text, ctx, out)
    _figures(text, ctx, out)
    return out
