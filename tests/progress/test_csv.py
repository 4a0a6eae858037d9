"""CSV as Excel and WPS save it goes through the same reader and checks as a workbook."""

import csv
import io
from datetime import date, datetime

import pytest

from campaigndesk.progress.excel.csvbook import sniff_delimiter
from campaigndesk.progress.excel_in import Caps, ReadContext, UnreadableFile, read_progress

from .builders import CONTEXT, MESSY_VALID, messy_rows, messy_table


def cell(value) -> str:
    """A cell as Excel writes it to CSV: dates as shown (yyyy/m/d), numbers as shown."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_of(rows, encoding="gb18030", delimiter=",", bom=b"") -> bytes:
    """Excel's 另存为 CSV: every record padded to the table's width, CRLF, cells with a
    delimiter, a quote or a line break quoted."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    width = max(len(r) for r in rows)
    for row in rows:
        writer.writerow([cell(v) for v in row] + [""] * (width - len(row)))
    return bom + out.getvalue().encode(encoding)


def valid(result):
    return [(r.row, r.name, r.organizations, r.participants, r.start, r.end, r.service_areas,
             r.service_other, r.beneficiaries, r.funds_fen, r.materials_fen, r.remarks)
            for r in result.rows]


@pytest.mark.parametrize(("encoding", "bom", "delimiter", "note"), [
    ("gb18030", b"", ",", "CSV 文本（GBK/GB18030 编码，逗号分隔）"),  # CSV (逗号分隔) in WPS/Excel
    ("utf-8", b"\xef\xbb\xbf", ",", "CSV 文本（UTF-8 编码，逗号分隔）"),  # CSV UTF-8
    ("utf-8", b"", ",", "CSV 文本（UTF-8 编码，逗号分隔）"),
    ("utf-16-le", b"\xff\xfe", "\t", "CSV 文本（UTF-16 编码，制表符分隔）"),  # Unicode 文本
    ("gb18030", b"", "\t", "CSV 文本（GBK/GB18030 编码，制表符分隔）"),
])
def test_the_messy_table_as_csv_reads_like_the_workbook(encoding, bom, delimiter, note):
    """messy_rows holds quoted cells with line breaks (“XX社工站\\nXX志愿者协会”), amounts
    with thousands separators (1,234人), full-width digits, a 合计 row and a 说明 line."""
    workbook = read_progress(messy_table(), context=CONTEXT)
    result = read_progress(csv_of(messy_rows(), encoding, delimiter, bom), context=CONTEXT)
    assert (result.format, result.format_note) == ("csv", note)
    assert valid(result) == valid(workbook) == MESSY_VALID
    assert result.errors == workbook.errors
    assert result.warnings == workbook.warnings
    assert (result.reporter_name, result.reporter_phone) == ("王芳", "13800001234")
    assert result.sheet == ""  # a CSV has no sheets: the preview names none


def test_line_breaks_inside_quoted_cells_keep_row_numbers_by_record():
    """Excel numbers rows by record, not by line: a problem under a three-line cell names
    the row the user sees."""
    rows = [["活动名称", "参与单位", "参与人次", "活动开展时间", "活动地点"],
            ["讲座", "甲社工站\r\n乙协会\r\n丙中心", 10, "3月18日", "社区"],
            ["义诊", "丁站", "十", "3月19日", "社区"]]
    result = read_progress(csv_of(rows, "utf-8"), context=CONTEXT)
    assert result.rows[0].organizations == ["甲社工站", "乙协会", "丙中心"]
    assert [(p.row, p.column) for p in result.errors] == [(3, "参与人次")]


def test_the_delimiter_is_the_one_that_gives_rows_of_one_width():
    tab = "活动名称\t参与人次\t链接资金\t活动地点\n讲座\t10\t1,200.50\t甲,乙社区\n"
    assert sniff_delimiter(tab) == "\t"
    comma = '活动名称,参与人次,链接资金,活动地点\n讲座,10,"1,200.50",甲社区\n'
    assert sniff_delimiter(comma) == ","
    semicolon = "sep=;\r\n活动名称;参与单位;参与人次;活动开展时间\r\n讲座;甲;10;3月18日\r\n"
    result = read_progress(semicolon.encode(), context=CONTEXT)
    assert [r.name for r in result.rows] == ["讲座"] and result.rows[0].row == 2


def test_an_unclosed_quote_is_refused_naming_its_line():
    data = ('活动名称,参与单位,参与人次,活动开展时间\r\n讲座,"甲社工站,10,3月18日\r\n'
            "义诊,乙,5,3月19日\r\n").encode("gb18030")
    with pytest.raises(UnreadableFile) as refused:
        read_progress(data, context=CONTEXT)
    assert "CSV 文件第 2 行" in refused.value.message and "引号" in refused.value.message


def test_text_in_no_known_encoding_is_refused_in_chinese():
    """Past the first 4 KB, which told the guard it is a CSV: bytes neither GB18030 nor
    UTF-8 make the whole file refused, not cut."""
    rows = "".join(f"讲座{i},10\r\n" for i in range(400))
    data = f"活动名称,参与人次\r\n{rows}".encode("gb18030") + b"\xff\xfe,1\r\n"
    with pytest.raises(UnreadableFile) as refused:
        read_progress(data, context=CONTEXT)
    assert "编码无法识别" in refused.value.message


def test_the_caps_hold_for_csv():
    header = "活动名称,参与单位,参与人次,活动开展时间\r\n"
    rows = "".join(f"讲座{i},甲,1,3月18日\r\n" for i in range(40))
    small = ReadContext(year=2022, caps=Caps(max_rows=10, header_rows=5))
    with pytest.raises(UnreadableFile) as refused:
        read_progress((header + rows).encode(), context=small)
    assert refused.value.reason == "too_large" and "表格的行数过多" in refused.value.message
    wide = ReadContext(year=2022, caps=Caps(max_cells=50))
    with pytest.raises(UnreadableFile) as refused:
        read_progress((header + "," * 60 + "x\r\n").encode(), context=wide)
    assert "数据区域过大" in refused.value.message
    tiny = ReadContext(year=2022, caps=Caps(max_bytes=100, max_bytes_with_pictures=100))
    with pytest.raises(UnreadableFile) as refused:
        read_progress((header + rows).encode(), context=tiny)
    assert "文件过大" in refused.value.message


def test_a_gbk_csv_upload_shows_its_preview(demo, personas, as_user):
    client = as_user(personas["reporter"])
    upload = io.BytesIO(csv_of(messy_rows()))
    upload.name = "包头市进展表.csv"
    page = client.post(f"/campaigns/{demo.pk}/units/150100/progress/import/",
                       {"file": upload}).content.decode()
    assert "文件格式：CSV 文本（GBK/GB18030 编码，逗号分隔）" in page
    assert "读到 8 行活动：6 行无误，2 行有错误" in page
    assert "社工宣传进社区" in page
