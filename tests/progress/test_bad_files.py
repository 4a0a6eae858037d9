"""Bad files are harmless: every one ends in UnreadableFile with a Chinese message, fast."""

import io
import os
import pickle
import random
import struct
import time
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigndesk.progress.excel import sandbox
from campaigndesk.progress.excel.guard import Caps, scan_biff, scan_ods_extent, sniff
from campaigndesk.progress.excel_in import ReadContext, ReadResult, UnreadableFile, read_progress

from .builders import CONTEXT, FILES, messy_table, rezip, workbook_bytes


def refused(data, caps: Caps | None = None) -> UnreadableFile:
    context = ReadContext(2022, date(2022, 3, 17), date(2022, 3, 31), caps=caps or Caps())
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        read_progress(data, context=context)
    assert time.perf_counter() - started < 5
    message = caught.value.message
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return caught.value


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
              b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def test_empty_file():
    assert refused(b"").reason == "empty"


def test_renamed_png():
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)
    error = refused(png)
    assert error.reason == "not_spreadsheet" and "PNG" in error.message


def test_random_bytes():
    assert refused(os.urandom(5000)).reason == "not_spreadsheet"


def test_html_disguised_as_xls_and_text_that_is_no_table():
    """A CSV is read since issue 15 (tests/progress/test_csv.py); a web page saved as .xls
    and text without columns are still refused, saying what they are."""
    assert "网页" in refused(b"<html><table><tr><td>1</td></tr></table></html>").message
    assert "网页" in refused("\ufeff<html><table></table></html>".encode()).message
    assert "没有用逗号或制表符分隔的列" in refused("活动名称 参与人次\n甲 1\n".encode()).message


def test_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word" in refused(out.getvalue()).message


def test_truncated_xlsx():
    data = messy_table()
    for cut in (len(data) // 2, len(data) - 30, 100):
        assert refused(data[:cut]).reason == "corrupt"


def test_truncated_xls():
    data = (FILES / "messy.xls").read_bytes()
    refused(data[: len(data) // 2])


@pytest.mark.parametrize("name", ["encrypted.xlsx", "encrypted.xls"])
def test_encrypted(name):
    error = refused(FILES / name)
    assert error.reason == "encrypted" and "加密" in error.message


def test_encrypted_ooxml_simulated():
    """An OLE2 directory naming EncryptedPackage is enough, whatever the payload."""
    data = bytearray((FILES / "encrypted.xlsx").read_bytes())
    assert refused(bytes(data)).reason == "encrypted"


def test_zip_bomb_ratio():
    bomb = SHEET_HEAD + b" " * (120 * 1024 * 1024) + SHEET_TAIL
    data = rezip(messy_table(), {"xl/worksheets/sheet2.xml": bomb})
    assert len(data) < 1_000_000
    error = refused(data)
    assert error.reason == "bomb" and "压缩比" in error.message


def test_zip_bomb_total_size():
    # Under the ratio cap, over the total: many moderately compressible rows.
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>'
                    % (i, i, i * 7919) for i in range(1, 60_000))
    data = rezip(messy_table(), {"xl/worksheets/sheet2.xml": SHEET_HEAD + rows + SHEET_TAIL})
    error = refused(data, Caps(max_unzipped_bytes=2 * 1024 * 1024))
    assert error.reason == "bomb" and "解压后过大" in error.message


def test_zip_that_lies_about_sizes():
    """A central directory that declares a small size for a big entry."""
    big = SHEET_HEAD + b" " * (3 * 1024 * 1024) + SHEET_TAIL
    data = bytearray(rezip(messy_table(), {"xl/worksheets/sheet2.xml": big}))
    name = b"xl/worksheets/sheet2.xml"
    # Patch uncompressed size in the central directory and the local header to 1000.
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            name_len = struct.unpack_from("<H", data, pos + (28 if sig == b"PK\x01\x02" else 26))[0]
            start = pos + (46 if sig == b"PK\x01\x02" else 30)
            if bytes(data[start:start + name_len]) == name:
                struct.pack_into("<I", data, pos + size_at, 1000)
            pos += 4
    refused(bytes(data))


def test_sparse_range_bomb_does_not_abort():
    """One cell in A1 and one in XFD1048576: calamine would allocate ~500 GB and abort."""
    data = workbook_bytes({"S": [["活动名称"]]})
    sheet = SHEET_HEAD + (b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
                          b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>') + SHEET_TAIL
    error = refused(rezip(data, {"xl/worksheets/sheet1.xml": sheet}))
    assert error.reason == "too_large" and "行数过多" in error.message


def test_wide_sparse_range():
    sheet = SHEET_HEAD + (b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>'
                          b'<row r="100"><c r="A100"><v>1</v></c></row>') + SHEET_TAIL
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": sheet})
    assert "数据区域过大" in refused(data).message


def test_positional_cells_are_measured_too():
    cells = b"".join(b"<c><v>1</v></c>" for _ in range(50))
    sheet = SHEET_HEAD + b'<row r="1"><c><v>1</v></c></row><row r="900000">' + cells + (
        b"</row>" + SHEET_TAIL)
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": sheet})
    assert refused(data).reason == "too_large"


def test_formatted_empty_cells_do_not_count():
    """Borders down to row 60,000 are not data: the file is read, not refused."""
    empty = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (i, i) for i in range(5, 60_000))
    data = messy_table()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml")
    sheet = sheet.replace(b"</sheetData>", empty + b"</sheetData>")
    result = read_progress(rezip(data, {"xl/worksheets/sheet2.xml": sheet}), context=CONTEXT)
    assert len(result.rows) == 6


def test_sparse_xls():
    error = refused(FILES / "sparse.xls")
    assert error.reason == "too_large" and "“S”" in error.message


def test_ods_repeated_rows_bomb():
    row = b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell ' \
          b'office:value-type="float" office:value="1"/></table:table-row>'
    content = b'<table:table table:name="S">' + row + b"</table:table>"
    with pytest.raises(UnreadableFile):
        scan_ods_extent(content, Caps())
    data = (FILES / "messy.ods").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        original = z.read("content.xml")
    bomb = original.replace(b"</table:table>", row + b"</table:table>", 1)
    assert refused(rezip(data, {"content.xml": bomb})).reason == "too_large"


def test_ods_trailing_empty_repeats_are_fine():
    content = (b'<table:table table:name="S"><table:table-row><table:table-cell '
               b'office:value-type="string"><text:p>x</text:p></table:table-cell>'
               b'<table:table-cell table:number-columns-repeated="1023"/></table:table-row>'
               b'<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
               b'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    scan_ods_extent(content, Caps())


def biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", t, len(body)) + body for t, body in records)


def test_xls_extent_from_biff_records():
    bof = (0x0809, b"\x00\x06\x10\x00" + b"\x00" * 12)
    eof = (0x000A, b"")
    sheet = (0x0085, b"\x00" * 6 + b"\x02\x01" + "统计".encode("utf-16-le"))
    globals_ = (bof, sheet, eof)

    def cell(row: int, col: int) -> tuple[int, bytes]:
        return (0x0203, struct.pack("<HHHd", row, col, 0, 1.0))

    with pytest.raises(UnreadableFile, match="“统计”的行数过多"):
        scan_biff(biff(*globals_, bof, cell(0, 0), cell(65535, 255), eof), Caps())
    mulrk = (0x00BD, struct.pack("<HH", 10, 0) + b"\x00" * 6 * 3 + struct.pack("<H", 250))
    with pytest.raises(UnreadableFile, match="数据区域过大"):
        scan_biff(biff(*globals_, bof, cell(3999, 0), mulrk, eof), Caps())
    scan_biff(biff(*globals_, bof, cell(100, 11), eof), Caps())
    with pytest.raises(UnreadableFile, match="加密"):
        scan_biff(biff(bof, (0x002F, b"\x01\x00"), eof), Caps())


def test_caps_are_parameters_with_clear_messages():
    data = messy_table()
    assert "上限为 1 KB" in refused(data, Caps(max_bytes=1024)).message
    assert "工作表过多" in refused(data, Caps(max_sheets=2)).message
    assert "一次最多导入 2 行" in refused(data, Caps(max_rows=2)).message
    assert "上限 100 个" in refused(data, Caps(max_cells=100)).message
    assert "条目过多" in refused(data, Caps(max_zip_entries=3)).message


def test_path_over_the_byte_cap_is_not_read(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK" + b"\0" * 5000)
    assert refused(path, Caps(max_bytes=1000)).reason == "too_large"


# ---------------------------------------------------------------- fuzzing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_files_never_crash(data):
    """Flip, cut or splice bytes of real files: a result or UnreadableFile, nothing else."""
    name = data.draw(st.sampled_from(["messy.xlsx", "messy.xls", "messy.ods"]))
    raw = bytearray((FILES / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    try:
        result = read_progress(bytes(raw), context=CONTEXT)
    except UnreadableFile as exc:
        assert exc.message
    else:
        assert isinstance(result, ReadResult)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(raw):
    try:
        read_progress(raw, context=CONTEXT)
    except UnreadableFile:
        pass


def _table_with_picture(picture_side: int) -> bytes:
    """The messy table with a photo pasted into the sheet, as units do."""
    import xlsxwriter
    from PIL import Image

    photo = io.BytesIO()
    noise = Image.frombytes("RGB", (picture_side, picture_side),
                            os.urandom(picture_side * picture_side * 3))
    noise.save(photo, format="PNG")  # noise does not compress: the size is the photo's
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_numbers": False})
    ws = wb.add_worksheet("统计表")
    ws.write_row(0, 0, ["序号", "活动名称", "参与人次", "活动开展时间", "受益人次"])
    ws.write_row(1, 0, [1, "社工讲座", 12, "3月18日", 30])
    ws.insert_image("G2", "photo.png", {"image_data": photo})
    wb.close()
    return out.getvalue()


def test_pictures_pasted_into_the_table_do_not_count_against_its_size():
    data = _table_with_picture(300)  # about 270 KB, nearly all picture
    caps = Caps(max_bytes=100_000, max_bytes_with_pictures=1_000_000)
    result = read_progress(data, context=ReadContext(year=2022, caps=caps))
    assert [r.name for r in result.rows] == ["社工讲座"] and result.errors == []
    # Over the larger cap, the refusal says what makes it big and what to do.
    small = Caps(max_bytes=100_000, max_bytes_with_pictures=200_000)
    with pytest.raises(UnreadableFile) as refused:
        read_progress(data, context=ReadContext(year=2022, caps=small))
    message = str(refused.value)
    assert "文件过大" in message and "其中照片约" in message
    assert "请删除照片后另存再上传，活动照片请随宣传稿件上传" in message


def test_a_big_table_without_pictures_is_refused_plainly():
    caps = Caps(max_bytes=3_000, max_bytes_with_pictures=1_000_000)
    with pytest.raises(UnreadableFile) as refused:
        read_progress(messy_table(), context=ReadContext(year=2022, caps=caps))
    assert "文件过大" in str(refused.value) and "照片" not in str(refused.value)
    xls = (FILES / "messy.xls").read_bytes()  # an .xls may hide pictures: say so
    with pytest.raises(UnreadableFile) as refused:
        read_progress(xls, context=ReadContext(year=2022, caps=caps))
    assert "如果表格中插入了照片" in str(refused.value)


# ---------------------------------------------------------------- the cell guard reads XML as XML

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FAR = b"XFD1048576"  # the last cell of a sheet: calamine would allocate ~512 GB for A1..here


def _sheet_with(cell: bytes, root: bytes = b"<worksheet xmlns=\"%s\">" % MAIN_NS,
                prefix: bytes = b"", end_root: bytes = b"</worksheet>") -> bytes:
    p = prefix
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + root
            + b"<%ssheetData><%srow r=\"1\"><%sc r=\"A1\" t=\"inlineStr\"><%sis><%st>a</%st>"
              b"</%sis></%sc></%srow>" % ((p,) * 9)
            + cell + b"</%ssheetData>" % p + end_root)


def _book_with(sheet: bytes) -> bytes:
    return rezip(workbook_bytes({"S": [["活动名称"]]}), {"xl/worksheets/sheet1.xml": sheet})


@pytest.mark.parametrize("cell", [
    b'<row r="1048576"><c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>',
    b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    b'<row r="1048576"><c s="0"\n   r = "XFD1048576"  t="n"><v>1</v></c></row>',
    b'<row r="1048576"><c r="&#88;FD1048576"><v>1</v></c></row>',
    b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    b'<row r="1048576"><c r="XFD1048576"><v/></c></row>',
], ids=["r-not-first", "single-quotes", "spaces-and-newline", "character-reference",
        "lower-case", "empty-value"])
def test_a_far_cell_is_measured_however_its_tag_is_written(cell):
    """Issue 12.2: a 2 KB file with its far cell written any way XML allows is refused."""
    data = _book_with(_sheet_with(cell))
    assert len(data) < 10_000
    error = refused(data)
    assert error.reason == "too_large" and "行数过多" in error.message


def test_a_far_cell_with_a_namespace_prefix_is_measured():
    root = b'<x:worksheet xmlns:x="%s">' % MAIN_NS
    cell = (b'<x:row r="1048576"><x:c t="inlineStr" r="XFD1048576"><x:is><x:t>x</x:t>'
            b"</x:is></x:c></x:row>")
    sheet = _sheet_with(cell, root=root, prefix=b"x:", end_root=b"</x:worksheet>")
    assert refused(_book_with(sheet)).reason == "too_large"


def test_positional_cells_after_an_empty_row_element_are_measured():
    """calamine ignores <row r="1"/>: positional cells after it continue from row 1048575."""
    cell = (b'<row r="1048575"></row><row r="1"/><row><c><v>1</v></c>'
            b'<c r="XFD1048576"><v>1</v></c></row>')
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": _sheet_with(cell)})
    assert refused(data).reason == "too_large"


def test_a_sheet_stored_outside_the_worksheets_folder_is_measured():
    """The workbook's relationships may point anywhere in the zip: every part that holds
    sheet data is measured, whatever its name."""
    data = workbook_bytes({"S": [["活动名称"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels")
    bomb = _sheet_with(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                dst.writestr("xl/media/data.xml", bomb)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                dst.writestr(info.filename,
                             rels.replace(b"worksheets/sheet1.xml", b"media/data.xml"))
            else:
                dst.writestr(info.filename, src.read(info.filename))
    assert refused(out.getvalue()).reason == "too_large"


@pytest.mark.parametrize("ref", [b"A0", b"1", b"AAAA1", b"A12345678", b"A-1", b"\xef\xbc\xa11"])
def test_a_cell_position_that_cannot_be_measured_is_refused(ref):
    cell = b'<row r="2"><c r="%s"><v>1</v></c></row>' % ref
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": _sheet_with(cell)})
    error = refused(data)
    assert error.reason in ("bomb", "too_large", "corrupt")


def test_a_sheet_that_is_not_well_formed_xml_is_refused():
    cell = b'<row r="2"><c r="B2"><v>1</v></row>'
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": _sheet_with(cell)})
    assert refused(data).reason == "corrupt"


def test_an_ods_bomb_written_with_single_quotes_or_a_character_reference_is_refused():
    """1,000,000 rows × 16,384 columns: the old guard read only double-quoted repeats."""
    data = (FILES / "messy.ods").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        original = z.read("content.xml")
    for rows, cols in ((b"table:number-rows-repeated='1000000'",
                        b"table:number-columns-repeated='16384'"),
                       (b'table:number-rows-repeated="&#49;000000"',
                        b'table:number-columns-repeated="&#49;6384"')):
        row = (b"<table:table-row " + rows + b"><table:table-cell " + cols
               + b' office:value-type="float" office:value="1"/></table:table-row>')
        bomb = original.replace(b"<table:table-row ", row + b"<table:table-row ", 1)
        assert refused(rezip(data, {"content.xml": bomb})).reason == "too_large"


# ---------------------------------------------------------------- big legitimate tables pass

def _big_sheet(target_mb: float, rows: int = 10_000, cut_after: bytes | None = None) -> bytes:
    """A plain table of `rows` rows × 12 text columns, about `target_mb` MB of sheet XML,
    random Chinese text so that it compresses like real text (under the ratio cap)."""
    rnd = random.Random(int(target_mb * 10) + rows)
    pool = "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(6_000))
    per_cell = max(1, int(target_mb * 1024 * 1024 / rows / 12 / 3) - 20)
    parts = [SHEET_HEAD]
    for r in range(1, rows + 1):
        cells = []
        for c in range(12):
            at = (r * 7919 + c * 104_729) % (len(pool) - per_cell)
            cells.append(f'<c r="{"ABCDEFGHIJKL"[c]}{r}" t="inlineStr"><is><t>'
                         f"{pool[at:at + per_cell]}</t></is></c>")
        parts.append((f'<row r="{r}">' + "".join(cells) + "</row>").encode())
    xml = b"".join(parts) + SHEET_TAIL
    if cut_after is not None:
        # Move a 1 MB boundary (the old guard read 1 MB pieces) to just after this piece
        # of a tag, with spaces between the elements, which XML ignores.
        end = xml.index(cut_after, 1 << 20) + len(cut_after)
        xml = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (-end % (1 << 20)), 1)
    return xml


@pytest.mark.parametrize(("mb", "rows"), [(1.2, 1_500), (12, 10_000), (50, 19_000)])
def test_big_legitimate_sheets_are_not_refused(mb, rows):
    """Issue 12.3: plain sheets of 1–50 MB of XML (a 10,000-row table is 11 MB) pass."""
    xml = _big_sheet(mb, rows)
    assert abs(len(xml) / 1024 / 1024 - mb) < mb * 0.2
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": xml}, level=1)
    assert sniff(data, Caps()) == "xlsx"


@pytest.mark.parametrize("cut", [b"<c ", b"<c r", b'<c r="', b"<row r=", b"<c r=\"C"])
def test_a_read_boundary_inside_a_tag_changes_nothing(cut):
    """The old guard read 1 MB pieces and a piece ending inside a tag made it count the
    worst case ("3334 行 × 16384 列") for a plain 10,000-row table."""
    xml = _big_sheet(3, rows=10_000, cut_after=cut)
    data = rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": xml}, level=1)
    assert sniff(data, Caps()) == "xlsx"


# ---------------------------------------------------------------- the reader's child process

def _bomb_past_the_guard() -> bytes:
    """What the guard refuses, handed straight to the child: calamine asks for 512 GB."""
    cell = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _book_with(_sheet_with(cell))


def test_an_abort_in_the_reader_kills_only_its_child_process():
    """Issue 12.2: calamine's abort on a bomb is a refusal, and this process goes on."""
    reading = sandbox.Reading(_bomb_past_the_guard(), "xlsx", Caps())
    try:
        with pytest.raises(UnreadableFile) as caught:
            reading.book()
    finally:
        reading.close()
    assert caught.value.reason == "crashed"
    assert caught.value.message.startswith("文件无法读取")
    assert read_progress(messy_table(), context=CONTEXT).rows  # still reading files


def test_the_reader_has_a_memory_limit():
    """The same table that reads fine dies in a child given 8 MB of address space (less
    than Python itself maps: every allocation calamine makes fails)."""
    error = refused(messy_table(), Caps(reader_memory=8 * 1024 * 1024))
    assert error.reason == "crashed" and error.message.startswith("文件无法读取")
    assert read_progress(messy_table(), context=CONTEXT).rows


def test_the_reader_has_a_deadline():
    """A deadline already past when the cells are collected stops the child, whatever the
    machine's speed (0.05 s was sometimes enough on a quiet machine: the test then failed)."""
    error = refused(messy_table(), Caps(reader_seconds=1e-9))
    assert error.reason == "timeout" and "读取超过 1e-09 秒仍未完成" in error.message
    assert read_progress(messy_table(), context=CONTEXT).rows  # the next read is unharmed


def test_only_cell_values_come_back_from_the_child():
    """A compromised child could send a pickle that runs code here: only cells load."""
    assert sandbox._load(pickle.dumps(["甲", 1, 2.5, True, None, date(2022, 3, 18)])) == [
        "甲", 1, 2.5, True, None, date(2022, 3, 18)]
    with pytest.raises(pickle.UnpicklingError):
        sandbox._load(pickle.dumps(os.system))
    with pytest.raises(pickle.UnpicklingError):
        sandbox._load(pickle.dumps(Caps()))


def _with_merges(count: int) -> bytes:
    data = messy_table()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml")
    merges = b"".join(b'<mergeCell ref="M%d:M1048576"/>' % (9 + i % 3) for i in range(count))
    assert b"</mergeCells>" in sheet
    sheet = sheet.replace(b"</mergeCells>", merges + b"</mergeCells>")
    return rezip(data, {"xl/worksheets/sheet2.xml": sheet})


def test_merges_down_to_the_last_row_cost_nothing():
    """A 5 KB file with 200 merges down to row 1048576 held the server for a minute:
    merges are cut at the last row with data, and their rows together are capped."""
    started = time.perf_counter()
    result = read_progress(_with_merges(200), context=CONTEXT)
    assert len(result.rows) == 6 and time.perf_counter() - started < 5
    error = refused(_with_merges(200), Caps(max_cells=1000))
    assert error.reason == "too_large" and "合并单元格过多" in error.message
