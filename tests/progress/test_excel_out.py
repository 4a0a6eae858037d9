"""The writers: template layout, no formulas from user text, unit report, consolidated."""

import io
import re
import zipfile
from datetime import date

from python_calamine import CalamineWorkbook

from campaigndesk.progress.excel_in import read_progress
from campaigndesk.progress.excel_out import (
    DEFAULT_NOTES,
    activity_cells,
    row_height,
    service_text,
    sheet_name,
    write_consolidated,
    write_template,
    write_unit_report,
)
from campaigndesk.progress.table import COLUMNS, TITLE, ActivityRow, SummaryRow

from .builders import CONTEXT

NASTY = ["=1+1", "+86 138", "-5", "@SUM(A1)", "\t=cmd", "\r=cmd", "=HYPERLINK(\"http://x\")"]


def sheet_xml(data: bytes, n: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode()


def cells(data: bytes, index: int = 0) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(index).to_python(skip_empty_area=False)


def sample_rows() -> list[ActivityRow]:
    return [
        ActivityRow(name="社工宣传进社区", organizations=["甲社工站", "乙协会"], participants=35,
                    start=date(2022, 3, 18), end=date(2022, 3, 20), location="XX社区",
                    content="发放折页\n现场咨询", service_areas=["老年人", "其他"],
                    service_other="社区居民", beneficiaries=120, funds_fen=150050,
                    materials_fen=30000, remarks="无"),
        ActivityRow(name="讲座", participants=12, start=date(2022, 3, 25), beneficiaries=30,
                    funds_fen=1, materials_fen=99),
    ]


def test_template_layout():
    out = io.BytesIO()
    write_template(out)
    data = out.getvalue()
    grid = cells(data)
    assert grid[0][0] == "附件 1"
    assert grid[1][0] == TITLE
    assert grid[2][0] == "盟市民政局慈善社工相关科室："
    assert grid[3][0] == "填报人及手机号码："
    assert grid[4][0].startswith("填报时间：") and grid[4][0].endswith("年    月    日")
    assert grid[5][:3] == ["序号", "活动名称", "参与活动的单位或社会组织（团队）名称"]
    assert grid[5][9:12] == ["链接资源情况", "", "备注"]
    assert grid[6][9:11] == ["链接资金（元）", "链接物资折价（元）"]
    assert [row[0] for row in grid[7:14]] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert grid[14][0] == DEFAULT_NOTES[0] and grid[15][0] == DEFAULT_NOTES[1]
    xml = sheet_xml(data)
    merges = set(re.findall(r'<mergeCell ref="([A-Z0-9:]+)"/>', xml))
    assert {"A2:L2", "A6:A7", "B6:B7", "L6:L7", "J6:K6", "A15:L15"} <= merges
    assert 'orientation="landscape"' in xml and 'paperSize="9"' in xml
    assert 'fitToHeight="0"' in xml and '<pageSetUpPr fitToPage="1"/>' in xml
    assert "<pageMargins" in xml
    widths = re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml)
    assert int(widths[-1][1]) == 12 and float(widths[1][2]) > 22  # 活动名称 is wide
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in workbook and "$6:$7" in workbook
    # The template reads back as a table with no activities and no problems.
    result = read_progress(data, context=CONTEXT)
    assert (result.rows, result.errors, result.warnings) == ([], [], [])


def test_template_parameters():
    out = io.BytesIO()
    write_template(out, office_line="科室：X", rows=3, notes=["说明：甲"])
    grid = cells(out.getvalue())
    assert grid[2][0] == "科室：X" and [r[0] for r in grid[7:10]] == [1.0, 2.0, 3.0]
    assert grid[10][0] == "说明：甲"


def test_user_text_is_never_a_formula():
    rows = [ActivityRow(name=t, organizations=[t], location=t, content=t, remarks=t,
                        start=date(2022, 3, 18)) for t in NASTY]
    out = io.BytesIO()
    write_unit_report(out, unit_name="=单位", reporter_name="=A1", reporter_phone="",
                      filled_date=None, rows=rows)
    xml = sheet_xml(out.getvalue())
    assert "<f>" not in xml and "<f " not in xml
    result = read_progress(out.getvalue(), context=CONTEXT)
    # "\t=cmd" and "\r=cmd" are one row once the whitespace is trimmed: read once.
    assert [r.name for r in result.rows] == list(dict.fromkeys(t.strip() for t in NASTY))
    assert result.rows[0].organizations == ["=1+1"]
    consolidated = io.BytesIO()
    write_consolidated(consolidated, campaign_title="=T", deadlines=["=D"],
                       summary=[SummaryRow("=U", statuses=["=S"])],
                       unit_sheets=[("=U", "=R", None, rows)])
    for n in (1, 2):
        xml = sheet_xml(consolidated.getvalue(), n)
        assert "<f>" not in xml and "<f " not in xml


def test_unit_report_reads_back_with_total_row():
    out = io.BytesIO()
    write_unit_report(out, unit_name="包头市民政局", reporter_name="王芳",
                      reporter_phone="13800001234", filled_date=date(2022, 3, 24),
                      rows=sample_rows())
    data = out.getvalue()
    grid = cells(data)
    assert grid[7][:5] == [1.0, "社工宣传进社区", "甲社工站、乙协会", 35.0,
                           "2022-03-18至2022-03-20"]
    assert grid[7][7] == "老年人、其他（社区居民）"
    assert grid[9][0] == "合计" and grid[9][3] == 47.0 and grid[9][9] == 1500.51
    assert 'numFmt numFmtId="164" formatCode="#,##0.00"' in zipfile.ZipFile(
        io.BytesIO(data)).read("xl/styles.xml").decode()
    result = read_progress(data, context=CONTEXT)
    assert result.errors == [] and result.warnings == []
    assert (result.reporter_name, result.reporter_phone) == ("王芳", "13800001234")
    assert result.filled_date == date(2022, 3, 24) and result.office == "包头市民政局"
    assert result.total_row == {"participants": 47, "beneficiaries": 150, "funds": 150051,
                                "materials": 30099}
    for got, want in zip(result.rows, sample_rows(), strict=True):
        want.end = want.end or want.start
        got.row = None
        assert got == want


def test_filled_date_as_text_or_none():
    for filled, line in (("2022-03-31", "填报时间：2022年3月31日"), (None, "填报时间：")):
        out = io.BytesIO()
        write_unit_report(out, unit_name="u", reporter_name="", reporter_phone="",
                          filled_date=filled, rows=[])
        assert cells(out.getvalue())[4][0].startswith(line)


def test_consolidated_workbook():
    out = io.BytesIO()
    summary = [SummaryRow("呼和浩特市", 2, 47, 150, 150051, 30099, ["按时", "迟报（2小时30分钟）"]),
               SummaryRow("包头市", 0, 0, 0, 0, 0, ["未报", "未报"])]
    long_name = "锡林郭勒盟/二连浩特市[口岸]:民政局*社会工作?科室与其他单位联合"
    write_consolidated(out, campaign_title="2022年社会工作主题宣传活动",
                       deadlines=["3月24日17:00", "3月31日17:00"], summary=summary,
                       unit_sheets=[("呼和浩特市", "王芳 13800001234", "2022-03-24",
                                     iter(sample_rows())),
                                    (long_name, "", None, []), (long_name, "", None, [])])
    data = out.getvalue()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = book.sheet_names
    assert names[:2] == ["汇总", "呼和浩特市"]
    assert all(len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names)
    assert len(set(names)) == 4
    grid = cells(data)
    assert grid[1] == ["序号", "单位", "活动数", "参与人次", "受益人次", "链接资金（元）",
                       "链接物资折价（元）", "3月24日17:00", "3月31日17:00"]
    assert grid[2][1:] == ["呼和浩特市", 2.0, 47.0, 150.0, 1500.51, 300.99, "按时",
                           "迟报（2小时30分钟）"]
    assert grid[4][:7] == ["合计", "2 个单位", 2.0, 47.0, 150.0, 1500.51, 300.99]
    assert grid[4][7] == "按时 1，未报 1"
    unit = read_progress(data, context=CONTEXT)  # the first sheet with the table
    assert unit.sheet == "呼和浩特市" and len(unit.rows) == 2
    assert unit.reporter_phone == "13800001234"
    sheet = cells(data, 1)
    assert sheet[4][0] == "填报时间：2022年3月24日"


def test_sheet_names():
    taken = {"汇总"}
    assert sheet_name("汇总", taken) == "汇总(2)"
    assert sheet_name("a/b", taken) == "a_b"
    assert sheet_name("A_B", taken) == "A_B(2)"  # Excel compares names without case
    assert sheet_name("'", taken) == "Sheet"
    assert len(sheet_name("长" * 40, taken)) == 31


def test_activity_cells_is_the_one_row_shape():
    row = sample_rows()[0]
    shaped = activity_cells(row, 3)
    assert len(shaped) == 1 + len(COLUMNS)
    assert shaped[0] == 3 and shaped[9:11] == [150050, 30000]
    assert shaped[7] == service_text(row)
    assert row_height(shaped) is not None  # content with a line break needs two lines
    assert row_height(activity_cells(ActivityRow(name="短"), 1)) is None
