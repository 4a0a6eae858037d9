"""Tables as units fill them in WPS, built with XlsxWriter, and what the reader should get.

``messy_table`` is also the source of the committed .xls and .ods fixtures (converted
with LibreOffice by ``files/make_fixtures.py``), so the three formats are checked against
the same expected rows.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from campaigndesk.progress.excel_in import ReadContext

FILES = Path(__file__).parent / "files"
CONTEXT = ReadContext(year=2022, start=date(2022, 3, 17), end=date(2022, 3, 31))


def workbook_bytes(sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None,
                   date_format: str = "yyyy/m/d") -> bytes:
    """A workbook from rows of values (date/datetime as date cells, None as empty)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    fmt = wb.add_format({"num_format": date_format})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                else:
                    ws.write_number(r, c, value)
        for ref in (merges or {}).get(name, []):
            ws.merge_range(ref, None)
    wb.close()
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes], level: int = 9) -> bytes:
    """The same xlsx with some entries replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


# The two-row header of attachment 1 as WPS users leave it: a line break inside some
# header cells, trailing spaces, half-width brackets in one, an empty column between
# 活动地点 and 活动内容, and 链接资源情况 merged over the two amounts.
MESSY_HEADER_1 = ["序号", "活动名称 ", "参与活动的单位或社会组织\n（团队）名称", "参与\n人次",
                  "活动开展时间", "活动地点", None, "活动内容",
                  "服务领域(老年人、残疾人、妇女、儿童青少年、困难群体等)", "受益人次",
                  "链接资源情况", None, "备注"]
MESSY_HEADER_2 = [None, None, None, None, None, None, None, None, None, None,
                  "链接资金（元）", "链接物资折价（元）", None]


def messy_rows() -> list[list[Any]]:
    top = [
        ["附件 1"],
        ["盟市社会工作主题宣传活动工作进展情况统计表"],
        ["盟市民政局慈善社工相关科室：包头市民政局慈善社工科"],
        ["填报人及手机号码：", "王芳/138-0000-1234"],
        ["填报时间： 2022年3月24日"],
        MESSY_HEADER_1,
        MESSY_HEADER_2,
    ]
    body = [
        # row 8: plain, numbers as numbers, a date cell
        [1, "社工宣传进社区", "包头市XX社会工作服务中心、XX社区居委会", 35, date(2022, 3, 18),
         "XX社区", None, "发放宣传折页，现场咨询", "老年人、残疾人", 120, 1500.5, 300, None],
        # row 9: full-width digits, units in cells, 万元, 无, a text range
        [2, "  “五社联动”主题讲座  ", "XX社工站\nXX志愿者协会", "１２人次", "3月25日-3月27日",
         "XX街道", None, "讲座", "妇女儿童", "1,234人", "1.5万元", "无", "线上线下"],
        # row 10: 2022.3.18—2022.3.20, 人 and 元 units, zero words
        [3, "困难群众走访", "XX社会工作服务中心", "20人", "2022.3.18—2022.3.20", "XX苏木",
         None, "入户走访", "困难家庭；社区居民", "—", "2,000元", "/", None],
        # row 11: a template row holding only its 序号
        [4],
        # row 12: blank
        [],
        # row 13: 3.25-3.27, number amounts with decimals
        [5, "社工宣传周", "A机构，B机构", 8, "3.25-3.27", "XX广场", None, "展板", "儿童",
         16, 99.99, 0.01, "备注文字"],
        # row 14: 3月18日上午 and 其他（…）
        [6, "社工日活动", "C机构", 40, "3月18日上午", "XX学校", None, "游园",
         "其他（社区居民、志愿者）", 60, None, None, None],
        # row 15: errors: 十二, negative, 12.5 人, three decimals, bad date
        [7, "有错的活动", "D机构", "十二", "2月30日", "XX", None, "x", "老年人", -3, "12.345",
         None, None],
        # row 16: 2022/3/18-3/20 and a date outside the campaign (warning only)
        [8, "月初活动", "E机构", "12.5人", "2022/3/1", "XX", None, "x", "老人", 5, 0, 0, None],
        # row 17: a range outside the campaign
        [9, "跨期活动", "F机构", 10, "2022/3/18-3/20", "XX", None, "x", "青少年", 5, None,
         None, None],
        # row 18: the 合计 row (participants disagree: 35+12+20+8+40+10 = 125, not 130)
        ["合计", None, None, 130, None, None, None, None, None, 1435, None, None, None],
        [None],
        ["说明： 此表于3月24日、31日下午17:00前报至自治区民政厅慈善社工处。"],
        ["联系人：张璐 电子邮箱：mz6946872@163.com 联系电话：0471-6946872"],
        [99, "说明之后的内容不读", "X", 1, "3月18日"],
    ]
    return top + body


def messy_table() -> bytes:
    """The messy table on its second sheet; the first sheet is a note without a header."""
    return workbook_bytes(
        {"填表说明": [["请按模板填写"], ["序号", "说明"]], "统计表": messy_rows(),
         "Sheet3": []},
        merges={"统计表": ["A2:M2", "K6:L6"]})


# What reading messy_table gives: (row, name, orgs, participants, start, end, areas, other,
# beneficiaries, funds_fen, materials_fen, remarks)
MESSY_VALID = [
    (8, "社工宣传进社区", ["包头市XX社会工作服务中心", "XX社区居委会"], 35, date(2022, 3, 18),
     date(2022, 3, 18), ["老年人", "残疾人"], "", 120, 150050, 30000, ""),
    (9, "“五社联动”主题讲座", ["XX社工站", "XX志愿者协会"], 12, date(2022, 3, 25),
     date(2022, 3, 27), ["妇女", "儿童青少年"], "", 1234, 1500000, 0, "线上线下"),
    (10, "困难群众走访", ["XX社会工作服务中心"], 20, date(2022, 3, 18), date(2022, 3, 20),
     ["困难群体", "其他"], "社区居民", 0, 200000, 0, ""),
    (13, "社工宣传周", ["A机构", "B机构"], 8, date(2022, 3, 25), date(2022, 3, 27),
     ["儿童青少年"], "", 16, 9999, 1, "备注文字"),
    (14, "社工日活动", ["C机构"], 40, date(2022, 3, 18), date(2022, 3, 18), ["其他"],
     "社区居民、志愿者", 60, 0, 0, ""),
    (17, "跨期活动", ["F机构"], 10, date(2022, 3, 18), date(2022, 3, 20), ["儿童青少年"], "", 5,
     0, 0, ""),
]


def merged_table() -> bytes:
    """Cells merged down over activities, as people do: one 参与单位 and 活动开展时间 for
    two activities, one 活动地点 for three, one 链接资金 for two (counted once), and an
    activity whose every cell is merged over two rows to make it taller."""
    header = ["序号", "活动名称", "参与单位", "参与人次", "活动开展时间", "活动地点", "活动内容",
              "服务领域", "受益人次", "链接资金（元）", "链接物资折价（元）", "备注"]
    rows = [
        ["盟市社会工作主题宣传活动工作进展情况统计表"],
        header,
        [1, "讲座甲", "甲社工站", 10, "3月18日", "新城区社区", "宣讲", "老年人", 20, 1000, 0, ""],
        [2, "讲座乙", None, 12, None, None, "咨询", "残疾人", 30, None, 0, ""],
        [3, "讲座丙", "乙协会", 5, "3月19日", None, "发放", "妇女", 9, 0, 0, ""],
        [4, "讲座丁", "丙站", 7, "3月20日", "丁社区", "义诊", "老年人", 11, 0, 0, "加长行"],
        [],
    ]
    tall = [f"{col}6:{col}7" for col in "ABCDEFGHIJKL"]
    return workbook_bytes({"S": rows}, merges={"S": ["C3:C4", "E3:E4", "F3:F5", "J3:J4",
                                                     *tall]})


MERGED_VALID = [
    (3, "讲座甲", ["甲社工站"], date(2022, 3, 18), "新城区社区", 100_000),
    (4, "讲座乙", ["甲社工站"], date(2022, 3, 18), "新城区社区", 0),
    (5, "讲座丙", ["乙协会"], date(2022, 3, 19), "新城区社区", 0),
    (6, "讲座丁", ["丙站"], date(2022, 3, 20), "丁社区", 0),
]
