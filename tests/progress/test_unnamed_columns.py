"""A header of one row with 链接资源情况 over two unnamed columns (only the template's first
header row copied), and figures in columns the header finder cannot name: pasted or
uploaded, an amount is never dropped without a word (outside check of issue 15)."""

import io

import pytest

from campaigndesk.progress.excel_in import read_progress
from campaigndesk.progress.models import Activity
from campaigndesk.progress.paste import parse_tsv, place
from campaigndesk.progress.table import COLUMNS

from .builders import CONTEXT, workbook_bytes
from .test_csv import csv_of

# The template's first header row: 链接资源情况 merged over two cells, the second empty.
FIRST_ROW = ["序号", *[c.header for c in COLUMNS[:8]], "链接资源情况", "", "备注"]
ROWS = [
    ["1", "社区宣传", "赛罕区社工站", "12", "3月18日", "昭乌达路社区", "宣传", "老年人", "60",
     "100", "200", ""],
    ["2", "助残服务", "回民区残联", "8", "3月20日", "通道街社区", "上门服务", "残疾人", "300",
     "5000", "0", ""],
]
KEYS = ["name", "organizations", "participants", "dates", "location", "content",
        "service_areas", "beneficiaries", "funds", "materials", "remarks"]


def tsv(*rows: list[str]) -> str:
    return "\r\n".join("\t".join(r) for r in rows) + "\r\n"


def test_a_pasted_first_header_row_keeps_both_amounts_through_the_save(demo, as_user):
    from campaigndesk.units.models import User

    client = as_user(User.objects.get(username="150600"))
    url = f"/campaigns/{demo.pk}/units/150600/progress/"
    answer = client.post(url + "paste/", {"block": tsv(FIRST_ROW, *ROWS),
                                          "start": "name"}).json()
    assert [(r["funds"], r["materials"]) for r in answer["rows"]] == [("100", "200"),
                                                                    ("5000", "0")]
    assert any("链接资源情况" in n and "链接资金、链接物资折价" in n for n in answer["notes"])
    assert answer["warnings"] == []
    # The rows as the page puts them into the grid, saved as a draft.
    data = {"row_count": "2", "action": "save", "revision": "0"}
    for i, row in enumerate(answer["rows"]):
        data |= {f"r-{i}-{key}": row.get(key, "") for key in KEYS} | {f"r-{i}-id": ""}
    client.post(url, data)
    saved = Activity.objects.filter(unit__code="150600").order_by("position")
    assert [(a.funds_fen, a.materials_fen) for a in saved] == [(10000, 20000), (500000, 0)]


def test_pasted_cells_that_cannot_be_placed_are_a_warning_naming_the_column():
    # 链接资源情况 right before 备注: one column under it, which amount it is is not guessed;
    # a column with no header at the end.
    header = ["序号", *[c.header for c in COLUMNS[:8]], "链接资源情况", "备注", ""]
    rows = [r[:10] + ["", "x"] for r in ROWS] + [["3", "讲座", "站", "1", "3月21日", "", "",
                                                 "", "2", "", "", "", ""]]
    placed = place(parse_tsv(tsv(header, *rows)), "name")
    assert [r["name"] for r in placed.rows] == ["社区宣传", "助残服务", "讲座"]
    assert "funds" not in placed.rows[0] and "materials" not in placed.rows[0]
    assert placed.warnings == [
        "第 J 列（链接资源情况）的 2 个单元格（100、5000）无法按表头放入，没有粘贴；"
        "请给这一列写上表头（如“链接资金（元）”）后重新粘贴，或直接填入对应的列",
        "第 L 列（无表头）的 2 个单元格（x、x）无法按表头放入，没有粘贴；"
        "请给这一列写上表头（如“链接资金（元）”）后重新粘贴，或直接填入对应的列"]


def numbers(rows: list[list[str]]) -> list[list]:
    """The cells as a spreadsheet holds them: figures as numbers."""
    return [[int(v) if v.isdigit() and c else v for c, v in enumerate(r)] for r in rows]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_upload_with_only_the_first_header_row_reads_both_amounts(kind):
    table = [["盟市社会工作主题宣传活动工作进展情况统计表"], FIRST_ROW, *numbers(ROWS)]
    data = workbook_bytes({"统计表": table}) if kind == "xlsx" else csv_of(table)
    result = read_progress(data, context=CONTEXT)
    assert result.errors == []
    assert [(r.funds_fen, r.materials_fen) for r in result.rows] == [(10000, 20000),
                                                                    (500000, 0)]
    assert [(p.row, p.column, p.message) for p in result.warnings] == [
        (2, "链接资源情况", "“链接资源情况”下没有“链接资金”“链接物资折价”的表头，第 J、K 列"
                       "按附件1的顺序读作链接资金、链接物资折价，请核对")]


def test_the_same_upload_on_the_web_imports_the_amounts(demo, as_user):
    from campaigndesk.units.models import User

    client = as_user(User.objects.get(username="150600"))
    url = f"/campaigns/{demo.pk}/units/150600/progress/import/"
    upload = io.BytesIO(csv_of([FIRST_ROW, *ROWS]))
    upload.name = "鄂尔多斯市.csv"
    preview = client.post(url, {"file": upload})
    assert "读到 2 行活动，均无错误" in preview.content.decode()
    client.post(url + "confirm/", {"token": preview.context["pending"].token,
                                   "revisions": preview.context["revisions"]})
    saved = Activity.objects.filter(unit__code="150600").order_by("position")
    assert [(a.funds_fen, a.materials_fen) for a in saved] == [(10000, 20000), (500000, 0)]


def test_an_uploaded_figure_in_a_column_without_a_name_is_an_error():
    header = ["序号", *[c.header for c in COLUMNS[:8]], "链接资源情况", "备注", ""]
    rows = [numbers(ROWS)[0][:10] + ["", "见附件"], numbers(ROWS)[1][:10] + ["", 7]]
    result = read_progress(workbook_bytes({"统计表": [header, *rows]}), context=CONTEXT)
    assert result.rows == [] and result.error_rows == 2  # nothing can be imported
    said = ("“{}”所在的列没有可识别的表头，无法判断是哪一项，没有读入；"
            "请在表头写明这一列（如“链接资金（元）”），或删去这一列后重新上传")
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (2, "第 J 列（链接资源情况）", said.format(100)),
        (3, "第 J 列（链接资源情况）", said.format(5000)),
        (3, "第 L 列（无表头）", said.format(7))]
    # Text there cannot be a figure the table counts: said once, not refused.
    assert ((2, "第 L 列（无表头）", "这一列没有可识别的表头，其中的内容（如“见附件”）没有读入")
            in [(p.row, p.column, p.message) for p in result.warnings])
