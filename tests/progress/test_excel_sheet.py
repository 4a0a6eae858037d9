"""The worksheet every workbook is written with (progress.excel.sheet).

RowWriter writes the activity rows' XML itself; these tests hold it to exactly what
XlsxWriter writes for the same cells, so a file stays what Excel, WPS, LibreOffice and
our own reader expect, and they pin the XlsxWriter internals it relies on.
"""

import io
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from campaigndesk.core.characters import printable
from campaigndesk.progress.excel.sheet import Book, RowWriter
from campaigndesk.progress.excel_out import write_consolidated, write_unit_report
from campaigndesk.progress.table import ActivityRow, SummaryRow

# Text that needs every kind of escape XlsxWriter applies to an inline string.
TRICKY = [
    "社工宣传进社区", "a & b < c > d", '"引号"', " 前后空格 ", "换行\n第二行", "tab\tend",
    "控制\x01字符\x1f", "_x0041_ 字面转义", "\ufffe非字符\uffff", "😀 表情 𠀀",
    "=1+1", "+86 138", "-5", "@SUM(A1)", "<r>&</r>", "<r><t>甲</t></r>", "长" * 40_000,
]


def sheet_xml(data: bytes, n: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode()


def _book(fill) -> bytes:
    out = io.BytesIO()
    wb = Book(out)
    text = wb.add_format({"border": 1, "text_wrap": True})
    number = wb.add_format({"num_format": "#,##0.00"})
    ws = wb.add_worksheet("表")
    ws.write_string(0, 0, "标题", text)  # a row XlsxWriter still holds when ours begin
    fill(ws, text, number)
    ws.write_string(len(TRICKY) + 3, 0, "合计", text)  # and XlsxWriter again after them
    wb.close()
    return out.getvalue()


def _rows():
    for i, t in enumerate(TRICKY):
        yield [t, i, t[::-1], i + 0.1 if i % 2 else 1_234_567.89, ""]


def test_row_writer_writes_what_xlsxwriter_writes():
    # Pixel-exact heights (XlsxWriter stores heights in pixels); ours go through unrounded.
    heights = [None, 30.0, 45.0, 60.0]

    def by_cell(ws, text, number):
        for r, cells in enumerate(_rows(), start=2):
            if heights[r % 4]:
                ws.set_row(r, heights[r % 4])
            ws.write_string(r, 0, cells[0], text)
            ws.write_number(r, 1, cells[1], number)
            ws.write_string(r, 2, cells[2], text)
            ws.write_number(r, 3, cells[3], number)
            ws.write_blank(r, 4, None, text)  # '' is a styled blank cell

    def by_row(ws, text, number):
        writer = RowWriter(ws, 2, [(True, text), (False, number), (True, text),
                                   (False, number), (True, text)])
        for r, cells in enumerate(_rows(), start=2):
            writer.write(cells, heights[r % 4])
        assert writer.close() == len(TRICKY) + 2

    expected, ours = sheet_xml(_book(by_cell)), sheet_xml(_book(by_row))
    assert ours == expected
    assert 'ht="45" customHeight="1"' in ours
    assert f'<dimension ref="A1:E{len(TRICKY) + 4}"/>' in ours


def test_text_reads_back_as_written():
    def by_row(ws, text, number):
        writer = RowWriter(ws, 2, [(True, text), (False, number), (True, text),
                                   (False, number), (True, text)])
        for cells in _rows():
            writer.write(cells)
        writer.close()

    data = _book(by_row)
    # calamine (our reader, like Excel) decodes the _xHHHH_ escapes; openpyxl does not.
    grid = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(
        skip_empty_area=False)
    for row, t in zip(grid[2:], TRICKY, strict=False):
        # Control characters and non-characters are dropped (core.characters.printable):
        # written as _xHHHH_ they showed as "_x0007_" in the cell.
        t = printable(t)
        assert row[0] == t[:32_767] and row[2] == t[::-1][:32_767]
    assert grid[-1][0] == "合计"
    sheet = openpyxl.load_workbook(io.BytesIO(data))["表"]
    for r in range(3, len(TRICKY) + 3):
        assert sheet.cell(r, 1).data_type == "s"
        blank = sheet.cell(r, 5)  # '' is written as a blank cell that keeps its border
        assert blank.value is None and blank.border.left.style == "thin"


FORMULA_LIKE = ["=1+1", "+86 138", "-5", "@SUM(A1)", "\t=x", "=HYPERLINK(\"http://x\")"]
PLAIN = ["社工宣传", "a=b", "１＋１", "＝1+1", " =1"]


def test_formula_like_text_is_stored_with_the_quote_prefix():
    """Issue 12.18: text that Excel would make a formula when the cell is edited (F2,
    Enter) carries the quote prefix ('=1+1), in the rows and in any other cell; the
    cell keeps its column's look."""
    def fill(ws, text, number):
        writer = RowWriter(ws, 2, [(True, text), (False, number)])
        for t in FORMULA_LIKE + PLAIN:
            writer.write([t, 1])
        r = writer.close()
        ws.write_string(r, 0, "=2+2", text)
        ws.write(r + 1, 0, "-1", text)  # write() too: a string stays a string
        ws.write_row(r + 2, 0, ["@x"])  # and without a format

    sheet = openpyxl.load_workbook(io.BytesIO(_book(fill)))["表"]
    cells = {c.value: c for c in sheet["A"] if c.value}
    assert {v for v, c in cells.items() if c.quotePrefix} == {*FORMULA_LIKE, "=2+2", "-1", "@x"}
    assert all(cells[v].data_type == "s" for v in FORMULA_LIKE)
    for v in FORMULA_LIKE:
        assert cells[v].border.left.style == "thin" and cells[v].alignment.wrap_text
    assert not cells["@x"].border.left.style


@pytest.mark.parametrize("text", ["<r>&</r>", "<r><t>甲</t></r>", " <r>x</r>"])
def test_rich_text_look_alikes_stay_text_in_every_cell(text):
    # XlsxWriter writes such a string as raw XML: one activity named "<r>&</r>" used to
    # make the region's whole consolidated workbook unreadable.
    rows = [ActivityRow(name=text, remarks=text)]
    unit = io.BytesIO()
    write_unit_report(unit, unit_name=text, reporter_name=text, reporter_phone="",
                      filled_date=None, rows=rows)
    region = io.BytesIO()
    write_consolidated(region, campaign_title=text, deadlines=[text],
                       summary=[SummaryRow(text, statuses=[text])],
                       unit_sheets=[(text, text, None, rows)])
    for data in (unit.getvalue(), region.getvalue()):
        book = openpyxl.load_workbook(io.BytesIO(data))
        values = {c.value for ws in book for row in ws.iter_rows() for c in row}
        assert text in values
        assert any(isinstance(v, str) and v.endswith(text) for v in values)  # 科室：<r>…


def test_row_heights_are_not_kept_per_row():
    # set_row() keeps a record per row for the whole sheet; a 200,000-row export must not.
    out = io.BytesIO()
    wb = Book(out)
    ws = wb.add_worksheet()
    fmt = wb.add_format()
    writer = RowWriter(ws, 0, [(True, fmt)])
    for _ in range(1000):
        writer.write(["x"], 30.0)
    writer.close()
    assert ws.row_info == {}
    wb.close()
    assert sheet_xml(out.getvalue()).count('ht="30" customHeight="1"') == 1000


def test_row_writer_refuses_rows_already_written():
    wb = Book(io.BytesIO())
    ws = wb.add_worksheet()
    fmt = wb.add_format()
    ws.write_string(3, 0, "x")
    with pytest.raises(ValueError):
        RowWriter(ws, 3, [(True, fmt)])
    with pytest.raises(ValueError):
        RowWriter(ws, 2, [(True, fmt)])
    writer = RowWriter(ws, 4, [(True, fmt)])
    with pytest.raises(ValueError):
        writer.write(["a", "b"])  # more cells than columns
    number = RowWriter(ws, 5, [(False, fmt)])
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            number.write([bad])
    wb.close()
