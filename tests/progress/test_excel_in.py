"""The reader on tables as people fill them: three formats, header variants, cell forms."""

import io
from datetime import date, datetime

import pytest

from campaigndesk.progress.excel.cells import (
    AreaMatcher,
    CellError,
    parse_amount,
    parse_count,
    parse_dates,
)
from campaigndesk.progress.excel_in import ReadContext, read_progress, read_table
from campaigndesk.progress.table import COLUMNS

from .builders import (
    CONTEXT,
    FILES,
    MERGED_VALID,
    MESSY_VALID,
    merged_table,
    messy_table,
    workbook_bytes,
)

MESSY_ERRORS = [
    (15, "参与人次", "“十二”不是整数人次，请填写阿拉伯数字，如 12"),
    (15, "受益人次", "人次不能为负数（填的是 -3）"),
    (15, "链接资金（元）", "金额“12.345”超过两位小数，请保留到分（两位小数），如 1234.50"),
    (15, "活动开展时间", "“2月30日”不是有效的日期（2022年2月30日不存在）"),
    (16, "参与人次", "“12.5人”不是整数人次，请填写整数，如 12"),
]


def summary(row):
    return (row.row, row.name, row.organizations, row.participants, row.start, row.end,
            row.service_areas, row.service_other, row.beneficiaries, row.funds_fen,
            row.materials_fen, row.remarks)


@pytest.mark.parametrize("source", ["built", "messy.xlsx", "messy.xls", "messy.ods"])
def test_messy_table_in_every_format(source):
    data = messy_table() if source == "built" else (FILES / source).read_bytes()
    result = read_progress(data, filename=source, context=CONTEXT)
    assert result.format == (source.rsplit(".", 1)[-1] if "." in source else "xlsx")
    assert result.sheet == "统计表"  # the first sheet has no header
    assert (result.reporter_name, result.reporter_phone) == ("王芳", "13800001234")
    assert result.filled_date == date(2022, 3, 24)
    assert result.office == "包头市民政局慈善社工科"
    assert [summary(r) for r in result.rows] == MESSY_VALID
    assert [(p.row, p.column, p.message) for p in result.errors] == MESSY_ERRORS
    warnings = {(p.row, p.column): p.message for p in result.warnings}
    assert "归入“其他”" in warnings[(10, "服务领域(老年人、残疾人、妇女、儿童青少年、困难群体等)")]
    assert "不在本次活动期" in warnings[(16, "活动开展时间")]
    assert "说明" in warnings[(22, "")]
    assert result.total_row == {"participants": 130, "beneficiaries": 1435}
    assert result.totals.activities == 6
    assert result.totals.funds_fen == 150050 + 1500000 + 200000 + 9999
    # The header as found in the file, on one line: that is what problems name.
    assert result.columns["participants"] == "参与人次"
    assert result.columns["organizations"] == "参与活动的单位或社会组织（团队）名称"


def test_one_row_header_with_other_wordings_and_an_unknown_column():
    result = read_progress(FILES / "one_row_header.xlsx", context=CONTEXT)
    assert result.errors == []
    assert [(p.row, p.column) for p in result.warnings] == [(3, "联系人")]
    assert "不是统计表的列" in result.warnings[0].message
    assert (result.reporter_name, result.reporter_phone) == ("李强", "13912345678")
    assert result.filled_date == date(2022, 3, 31)
    first, second = result.rows
    assert (first.participants, first.beneficiaries, first.funds_fen, first.materials_fen) == (
        30, 100, 2_000_000, 50_000)
    assert first.service_areas == ["老年人", "残疾人"]
    assert (second.start, second.end) == (date(2022, 3, 22), date(2022, 3, 23))
    assert second.funds_fen == 150_050 and second.materials_fen == 0
    assert second.service_areas == ["妇女", "儿童青少年"]
    assert result.columns["funds"] == "资金(元)"


def test_cumulative_table_total_row_that_disagrees():
    result = read_progress(FILES / "cumulative.xlsx", context=CONTEXT)
    assert result.errors == []
    assert len(result.rows) == 2
    assert result.total_row == {"participants": 30, "beneficiaries": 50, "funds": 30050,
                                "materials": 4000}
    assert [(p.row, p.column, p.message) for p in result.warnings] == [
        (9, "参与人次", "合计行的“参与人次”为 30，但各行相加为 25，请核对"),
        (9, "链接物资折价（元）",
         "合计行的“链接物资折价（元）”为 40.00 元，但各行相加为 50.00 元，请核对"),
    ]
    assert (result.reporter_name, result.reporter_phone) == ("赵敏", "13700001111")


def test_header_missing_activity_name_is_an_error():
    data = workbook_bytes({"S": [["序号", "参与人次", "活动时间", "活动地点", "受益人次"],
                                 [1, 3, "3月18日", "x", 4]]})
    result = read_progress(data, context=CONTEXT)
    assert result.rows == []
    assert result.errors[0].row == 1 and "活动名称" in result.errors[0].message


def test_no_header_anywhere():
    data = workbook_bytes({"A": [["hello"]], "B": [[1, 2, 3]]})
    result = read_progress(data, filename="x.xlsx", context=CONTEXT)
    assert result.rows == [] and len(result.errors) == 1
    assert result.errors[0].row is None and "表头" in result.errors[0].message


def test_missing_optional_columns_warn_and_read_as_blank():
    data = workbook_bytes({"S": [["活动名称", "参与人次", "活动时间", "受益人次"],
                                 ["活动", "12", date(2022, 3, 20), 5]]})
    result = read_progress(data, context=CONTEXT)
    assert result.errors == []
    assert "表中没有这些列" in result.warnings[0].message
    assert result.rows[0].location == "" and result.rows[0].funds_fen == 0


@pytest.mark.parametrize(("funds", "materials"), [
    ("资金（元）", "物资折价（元）"), ("金额(元)", "物资(元)"), ("现金", "实物折价"),
    ("（元）", "（元）"),  # only the unit: read by place, as in attachment 1
])
def test_short_words_under_linked_resources(funds, materials):
    header = ["序号", "活动名称", "参与人次", "活动时间", "受益人次", "链接资源情况", "", "备注"]
    sub = ["", "", "", "", "", funds, materials, ""]
    data = workbook_bytes({"S": [header, sub, [1, "讲座", 5, "3月18日", 9, "100", "20.5", ""]]},
                          merges={"S": ["F1:G1"]})
    result = read_progress(data, context=CONTEXT)
    assert result.errors == []
    row = result.rows[0]
    assert (row.funds_fen, row.materials_fen) == (10_000, 2_050)
    assert result.columns["funds"] == "".join(funds.split())
    missing = [p.message for p in result.warnings if "没有这些列" in p.message]
    assert missing and not any("链接" in m for m in missing)  # 参与单位… are missing indeed


def test_wordings_known_by_their_ending():
    header = ["序号", "宣传活动名称", "组织单位", "参加人次", "活动起止时间", "开展地点",
              "主要活动内容", "服务领域", "服务人次", "链接社会资金（元）", "捐赠物资折价（元）",
              "备注"]
    data = workbook_bytes({"S": [header, [1, "讲座", "甲站", 5, "3月18日", "社区", "宣讲",
                                          "老年人", 9, 100, 20, ""]]})
    result = read_progress(data, context=CONTEXT)
    assert result.errors == [] and result.warnings == []
    row = result.rows[0]
    assert (row.name, row.organizations, row.participants, row.location, row.content) == (
        "讲座", ["甲站"], 5, "社区", "宣讲")
    assert (row.beneficiaries, row.funds_fen, row.materials_fen) == (9, 10_000, 2_000)


def test_an_exact_header_wins_over_one_known_by_its_ending():
    header = ["活动名称", "服务人次", "参与人次", "活动时间", "受益人次"]
    data = workbook_bytes({"S": [header, ["讲座", 100, 5, "3月18日", 9]]})
    result = read_progress(data, context=CONTEXT)
    assert result.rows[0].beneficiaries == 9
    assert [(p.column, "不是统计表的列" in p.message) for p in result.warnings
            if p.column] == [("服务人次", True)]


@pytest.mark.parametrize("source", ["built", "merged.xls"])
def test_cells_merged_down_over_activities(source):
    data = merged_table() if source == "built" else (FILES / source).read_bytes()
    result = read_progress(data, context=CONTEXT)
    assert result.errors == []
    assert [(r.row, r.name, r.organizations, r.start, r.location, r.funds_fen)
            for r in result.rows] == MERGED_VALID
    assert [(p.row, p.column, p.message) for p in result.warnings] == [
        (3, "链接资金（元）", "第 3 至 4 行的“链接资金（元）”是一个合并单元格，数值只计入第 3 行"),
    ]
    assert result.totals.activities == 4 and result.totals.participants == 34


HEADER = ["序号", "活动名称", "参与人次", "活动开展时间", "受益人次", "链接资源情况", "", "备注"]
SUBHEADER = ["", "", "", "", "", "链接资金（元）", "链接物资折价（元）", ""]


def test_a_second_table_pasted_under_the_first():
    # This week's table, title, reporter and header included, pasted under last week's.
    rows = [["统计表"], HEADER, SUBHEADER, [1, "第一周讲座", 5, "3月18日", 9, 0, 0, ""], [],
            ["盟市社会工作主题宣传活动工作进展情况统计表"], ["填报人：王芳 13800001234"],
            HEADER, SUBHEADER, [1, "第二周讲座", 6, "3月25日", 8, 100, 0, ""]]
    result = read_progress(workbook_bytes({"S": rows}), context=CONTEXT)
    assert result.errors == []
    assert [(r.row, r.name) for r in result.rows] == [(4, "第一周讲座"), (10, "第二周讲座")]
    assert [(p.row, p.message) for p in result.warnings if "没有这些列" not in p.message] == [
        (8, "这一行是又一次出现的表头，已跳过")]


def test_section_titles_are_not_activities():
    rows = [HEADER, SUBHEADER, ["", "一、线下活动"], [1, "讲座", 5, "3月18日", 9, 0, 0, ""],
            ["", "（二）线上活动"], [2, "直播", 50, "3月19日", 90, 0, 0, ""],
            ["", "社区义诊"], ["", "网络宣传周"]]
    result = read_progress(workbook_bytes({"S": rows}, merges={"S": ["B8:H8"]}),
                           context=CONTEXT)
    assert [r.name for r in result.rows] == ["讲座", "直播"]
    assert [(p.row, p.message) for p in result.warnings if "没有这些列" not in p.message] == [
        (3, "“一、线下活动”看作分组标题，没有作为活动读取"),
        (5, "“（二）线上活动”看作分组标题，没有作为活动读取"),
        (8, "“网络宣传周”看作分组标题，没有作为活动读取"),  # merged across the table
    ]
    # A name alone that reads like an activity is one, with its missing date reported.
    assert [(p.row, p.column) for p in result.errors] == [(7, "活动开展时间")]


def test_wan_yuan_in_header_scales_bare_numbers():
    header = ["活动名称", "参与人次", "活动时间", "受益人次", "链接资金（万元）"]
    data = workbook_bytes({"S": [header, ["甲", 1, "3月18日", 1, 1.5],
                                 ["乙", 1, "3月18日", 1, "300元"]]})
    result = read_progress(data, context=CONTEXT)
    assert [r.funds_fen for r in result.rows] == [1_500_000, 30_000]


@pytest.mark.parametrize(("line", "name", "phone", "warn"), [
    ("填报人及手机号码：王芳 138 0000 1234", "王芳", "13800001234", False),
    ("填报人及手机号码：王芳/13800001234", "王芳", "13800001234", False),
    ("填报人及手机号码： 王芳，手机：138-0000-1234", "王芳", "13800001234", False),
    ("填报人及手机号码：王芳１３８００００１２３４", "王芳", "13800001234", False),
    ("填报人及手机号码：王芳 0471-6946872", "王芳", "04716946872", True),
    ("填报人及手机号码：王芳 1380000123", "王芳", "1380000123", True),
    ("填报人及手机号码：", "", "", False),
])
def test_reporter_line(line, name, phone, warn):
    header = [c.header for c in COLUMNS]
    data = workbook_bytes({"S": [[line], ["填报时间：    年  月  日"], header,
                                 ["甲", "", 1, "3月18日"]]})
    result = read_progress(data, context=CONTEXT)
    assert (result.reporter_name, result.reporter_phone) == (name, phone)
    assert result.filled_date is None
    assert any("手机号码" in p.message for p in result.warnings) is warn


@pytest.mark.parametrize(("lines", "name", "filled"), [
    # The date label only with a colon or a date after it: here it is (absurdly) a name.
    (["填报人及手机号码：填报时间 13000000000"], "填报时间", None),
    (["填报人：王芳 13800001234 填报时间：2022.3.24"], "王芳", date(2022, 3, 24)),
    (["填报人：王芳 13800001234  填报日期 2022年3月24日"], "王芳", date(2022, 3, 24)),
    (["填报人：王芳 13800001234", "填报时间 3月31日"], "王芳", date(2022, 3, 31)),
])
def test_date_label_on_and_under_the_reporter_line(lines, name, filled):
    header = [c.header for c in COLUMNS]
    data = workbook_bytes({"S": [*([line] for line in lines), header, ["甲", "", 1, "3月18日"]]})
    result = read_progress(data, context=CONTEXT)
    assert (result.reporter_name, result.filled_date) == (name, filled)


def test_reporter_in_the_next_cell_and_date_cell():
    header = [c.header for c in COLUMNS]
    data = workbook_bytes({"S": [["填报人及手机号码：", "李四", "13912345678"],
                                 ["填报时间：", datetime(2022, 3, 31)], header]})
    result = read_progress(data, context=CONTEXT)
    assert (result.reporter_name, result.reporter_phone) == ("李四", "13912345678")
    assert result.filled_date == date(2022, 3, 31)


def test_read_table_for_the_web_grid():
    header = [c.header for c in COLUMNS]
    rows = [header,
            ["活动一", "甲、乙", "12", "3月18日", "地点", "内容", "老年人", "30", "1,000.5", "无",
             ""],
            ["活动二", "丙", "十二", "3.20", "", "", "", "", "", "", ""]]
    result = read_table(rows, context=CONTEXT)
    assert [r.row for r in result.rows] == [2]
    assert result.rows[0].funds_fen == 100050
    assert [(p.row, p.column) for p in result.errors] == [(3, "参与人次")]


def test_formula_like_text_stays_text():
    header = [c.header for c in COLUMNS]
    data = workbook_bytes({"S": [header, ["=SUM(A1)", "+86 机构", 1, "3月18日", "-地点", "@内容",
                                          "", 0, 0, 0, "\t备注"]]})
    row = read_progress(data, context=CONTEXT).rows[0]
    assert (row.name, row.organizations, row.location, row.content) == (
        "=SUM(A1)", ["+86 机构"], "-地点", "@内容")


# ---------------------------------------------------------------- cell parsers


@pytest.mark.parametrize(("value", "expected"), [
    (12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), ("１２", 12), ("12人次", 12), ("12人", 12),
    ("12名", 12), ("1,234", 1234), ("1，234人次", 1234), ("无", 0), ("—", 0), ("-", 0),
    ("/", 0), ("空", 0), ("", 0), ("1.2万人次", 12000), ("0", 0),
])
def test_count_forms(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(("value", "fragment"), [
    ("十二", "阿拉伯数字"), (12.5, "不是整数"), ("12.5人", "不是整数"), (-3, "负数"),
    ("-3", "负数"), ("约200人", "确切"), ("200余人", "确切"), (True, "不是人次"),
    (date(2022, 3, 1), "不是人次"), ("1,23", "阿拉伯数字"), (10**9, "过大"),
])
def test_count_errors(value, fragment):
    with pytest.raises(CellError) as caught:
        parse_count(value)
    assert fragment in caught.value.message


@pytest.mark.parametrize(("value", "fen"), [
    (1234.5, 123450), (1234, 123400), (0.1 + 0.2, 30), ("1234.50", 123450), ("1,234.5元", 123450),
    ("1.5万元", 1_500_000), ("1.5万", 1_500_000), ("２０００元", 200000), ("¥100", 10000),
    ("￥100.01", 10001), ("无", 0), ("—", 0), ("/", 0), ("空", 0), ("-", 0), ("0", 0),
    ("1.23456万元", 1234560), ("100元整", 10000),
])
def test_amount_forms(value, fen):
    assert parse_amount(value) == fen


@pytest.mark.parametrize(("value", "fragment"), [
    ("12.345", "两位小数"), (12.345, "两位小数"), ("-5", "负数"), (-5.0, "负数"),
    ("五百元", "不是金额"), ("约500元", "确切"), ("1.2345678万元", "两位小数"),
])
def test_amount_errors(value, fragment):
    with pytest.raises(CellError) as caught:
        parse_amount(value)
    assert fragment in caught.value.message


D = date


@pytest.mark.parametrize(("value", "start", "end"), [
    (date(2022, 3, 18), D(2022, 3, 18), D(2022, 3, 18)),
    (datetime(2022, 3, 18, 9, 30), D(2022, 3, 18), D(2022, 3, 18)),
    (44638.0, D(2022, 3, 18), D(2022, 3, 18)),
    (20220318, D(2022, 3, 18), D(2022, 3, 18)),
    ("2022-3-18", D(2022, 3, 18), D(2022, 3, 18)),
    ("2022.3.18", D(2022, 3, 18), D(2022, 3, 18)),
    ("2022/3/18", D(2022, 3, 18), D(2022, 3, 18)),
    ("2022年3月18日", D(2022, 3, 18), D(2022, 3, 18)),
    ("２０２２年３月１８日", D(2022, 3, 18), D(2022, 3, 18)),
    ("3月18日", D(2022, 3, 18), D(2022, 3, 18)),
    ("3.18", D(2022, 3, 18), D(2022, 3, 18)),
    (3.18, D(2022, 3, 18), D(2022, 3, 18)),
    ("3月18日上午", D(2022, 3, 18), D(2022, 3, 18)),
    ("3月18日（周五）9:00-11:30", D(2022, 3, 18), D(2022, 3, 18)),
    ("3月25日-3月27日", D(2022, 3, 25), D(2022, 3, 27)),
    ("3月25日至27日", D(2022, 3, 25), D(2022, 3, 27)),
    ("3.25-3.27", D(2022, 3, 25), D(2022, 3, 27)),
    ("2022/3/18-3/20", D(2022, 3, 18), D(2022, 3, 20)),
    ("2022.3.18—2022.3.20", D(2022, 3, 18), D(2022, 3, 20)),
    ("2022-03-18至2022-03-20", D(2022, 3, 18), D(2022, 3, 20)),
    ("3月18日~20日", D(2022, 3, 18), D(2022, 3, 20)),
    ("3月18日、19日", D(2022, 3, 18), D(2022, 3, 19)),
    ("20220318", D(2022, 3, 18), D(2022, 3, 18)),
])
def test_date_forms(value, start, end):
    cell = parse_dates(value, 2022)
    assert (cell.start, cell.end) == (start, end)


@pytest.mark.parametrize(("value", "fragment"), [
    ("3月20日-3月18日", "早于"), ("2月30日", "不存在"), ("下周", "不是日期"),
    ("2022年3月", "不是日期"),
    (12.0, "不是日期"), (True, "不是日期"),
])
def test_date_errors(value, fragment):
    with pytest.raises(CellError) as caught:
        parse_dates(value, 2022)
    assert fragment in caught.value.message


def test_ambiguous_numeric_date_is_noted():
    cell = parse_dates(3.1, 2022)  # typed 3.10 or 3.1: Excel keeps 3.1
    assert cell.start == date(2022, 3, 1) and "3月10日" in cell.note


@pytest.mark.parametrize(("text", "labels", "other", "unknown"), [
    ("老年人、残疾人", ("老年人", "残疾人"), "", ()),
    ("老人，儿童", ("老年人", "儿童青少年"), "", ()),
    ("妇女儿童", ("妇女", "儿童青少年"), "", ()),
    ("困难群众; 残疾", ("残疾人", "困难群体"), "", ()),
    ("青少年/困难家庭", ("儿童青少年", "困难群体"), "", ()),
    ("社区居民", ("其他",), "社区居民", ("社区居民",)),
    ("其他（退役军人、志愿者）", ("其他",), "退役军人、志愿者", ()),
    ("老年人、残疾人等", ("老年人", "残疾人"), "", ()),
])
def test_service_areas(text, labels, other, unknown):
    areas = AreaMatcher(ReadContext(2022).service_areas)(text)
    assert (areas.labels, areas.other, areas.unknown) == (labels, other, unknown)


def test_every_wording_of_the_name_header_passes_the_quick_test():
    # The repeated-header check skips rows without these hints: a new wording of 活动名称
    # must hold one, or a pasted second table with it would be read as an activity.
    from campaigndesk.progress.excel.header import _ENDINGS, _EXACT
    from campaigndesk.progress.excel_in import _NAME_HEADER_HINTS

    words = [w for w, k in _EXACT.items() if k == "name"]
    words += [w for endings, k in _ENDINGS if k == "name" for w in endings]
    assert len(words) > 6
    assert [w for w in words if not any(h in w for h in _NAME_HEADER_HINTS)] == []


TABLE = ["序号", "活动名称", "参与人次", "活动开展时间", "活动地点", "受益人次"]


def test_every_sheet_with_the_table_is_read():
    # A league bureau's workbook: one sheet per county, an explanation sheet, a hidden
    # sheet with last year's table.
    book = {
        "说明": [["本表由各旗县区填报后汇总"]],
        "新城区": [["填报人：王芳 13800001234"], TABLE,
                [1, "社会工作宣传活动", 10, "3月18日", "甲社区", 20],
                [2, "社工讲座", 5, "3月19日", "乙社区", 9]],
        "回民区": [TABLE, [1, "社会工作宣传活动", 12, "3月18日", "丙社区", 30],
                [2, "义诊", "十二", "3月20日", "丁社区", 4]],
        "旧表": [TABLE, [1, "去年的活动", 1, "2021-03-18", "x", 1]],
    }
    data = workbook_bytes(book)
    import zipfile

    hidden = io.BytesIO()  # hide 旧表 the way Excel does: state="hidden" in workbook.xml
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(hidden, "w") as out:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = content.replace(b'name="\xe6\x97\xa7\xe8\xa1\xa8"',
                                          b'name="\xe6\x97\xa7\xe8\xa1\xa8" state="hidden"')
            out.writestr(item, content)
    result = read_progress(hidden.getvalue(), context=CONTEXT)
    assert [(r.sheet, r.row, r.location) for r in result.rows] == [
        ("新城区", 3, "甲社区"), ("新城区", 4, "乙社区"), ("回民区", 2, "丙社区")]
    assert result.sheet == "新城区、回民区"
    assert (result.reporter_name, result.reporter_phone) == ("王芳", "13800001234")
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (3, "参与人次", "工作表“回民区”：“十二”不是整数人次，请填写阿拉伯数字，如 12")]
    assert "2 个工作表填有统计表（新城区、回民区），已全部读取" in result.warnings[0].message


def test_a_cumulative_sheet_beside_the_weekly_one_is_not_read_twice():
    week = [[1, "社工讲座", 5, "3月19日", "乙社区", 9], [2, "义诊", 8, "3月20日", "丁社区", 4]]
    book = {"第一周": [TABLE, *week],
            "累计": [TABLE, *week, [3, "宣传周", 30, "3月25日", "广场", 300]]}
    result = read_progress(workbook_bytes(book), context=CONTEXT)
    assert [(r.sheet, r.name) for r in result.rows] == [
        ("第一周", "社工讲座"), ("第一周", "义诊"), ("累计", "宣传周")]
    repeated = [(p.row, p.message) for p in result.warnings if "这一行与" in p.message]
    assert repeated == [
        (2, "工作表“累计”：这一行与工作表“第一周”第 2 行完全相同，只读取一次"),
        (3, "工作表“累计”：这一行与工作表“第一周”第 3 行完全相同，只读取一次")]


def test_a_row_copied_twice_is_read_once_but_same_name_and_day_elsewhere_is_not():
    rows = [TABLE, [1, "社会工作宣传活动", 10, "3月18日", "甲社区", 20],
            [2, "社会工作宣传活动", 10, "3月18日", "甲社区", 20],
            [3, "社会工作宣传活动", 10, "3月18日", "乙社区", 20]]
    result = read_progress(workbook_bytes({"S": rows}), context=CONTEXT)
    assert [r.location for r in result.rows] == ["甲社区", "乙社区"]
    assert [(p.row, p.message) for p in result.warnings if "完全相同" in p.message] == [
        (3, "这一行与第 2 行完全相同，只读取一次")]


@pytest.mark.parametrize("value", ["3月18日起", "2022年3月18日开始", "3月18日至今"])
def test_an_ongoing_activity_counts_on_its_first_day(value):
    cell = parse_dates(value, 2022)
    assert (cell.start, cell.end) == (date(2022, 3, 18), date(2022, 3, 18))
    assert cell.note == f"“{value}”按开始日期 3月18日 处理"


def test_text_longer_than_the_database_keeps_is_named_on_its_cell():
    """An outside tester typed a 225-character 活动地点: the grid answered 400 with no message
    and an import stored it anyway. Both now name the cell."""
    from campaigndesk.progress.excel_in import read_table
    from campaigndesk.progress.table import COLUMNS

    header = [c.header for c in COLUMNS]
    long_place = "呼和浩特市新城区" * 30  # 240 characters
    row = ["社工宣传进社区", "", "12", "2022-03-18", long_place, "", "", "", "", "", ""]
    result = read_table([header, row], context=CONTEXT)
    assert result.rows == []
    [problem] = result.errors
    assert problem.column == "活动地点"
    assert "内容过长（240字），请控制在200字以内" in problem.message
