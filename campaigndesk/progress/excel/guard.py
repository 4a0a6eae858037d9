"""Decide what an uploaded file is, and refuse it before parsing when it could hurt us.

The format is taken from the content (magic bytes and container entries), never from the
file name: WPS users rename files freely. Caps are checked on what the file *says* (zip
central directory, OLE2 directory) and then on what it *is* (actual decompressed bytes,
the extent of the cells), because calamine allocates the whole rectangle from A1 to the
last non-empty cell in one block: a 5 KB xlsx with one cell in XFD1048576 makes it ask
for 500 GB and abort the process. That cannot be caught as an exception, so the extent
is measured here first, cheaply, from the raw XML or BIFF records.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from campaigndesk.filetypes import OLE2_MAGIC, ZIP_MAGIC, read_ole2

XLSX, XLS, ODS = "xlsx", "xls", "ods"

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class UnreadableFile(Exception):
    """The file cannot be read at all; ``message`` is one Chinese sentence for the user.

    ``reason`` is a stable code for programs: empty, too_large, not_spreadsheet, encrypted,
    corrupt, bomb.
    """

    def __init__(self, message: str, reason: str = "corrupt") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Caps:
    """Limits on an uploaded table. The defaults fit a cumulative table of a whole region."""

    max_bytes: int = 10 * 1024 * 1024
    # People paste activity photos into the table; the reader never opens them, so an
    # .xlsx/.ods may be this big when what is over max_bytes is pictures.
    max_bytes_with_pictures: int = 25 * 1024 * 1024
    max_sheets: int = 20
    max_rows: int = 20_000
    # Cells of the rectangle A1..last used cell, i.e. what calamine allocates.
    max_cells: int = 400_000
    max_zip_entries: int = 1_000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    # Only for entries bigger than ratio_floor once unzipped: small XML compresses well.
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024


CORRUPT = "文件已损坏或不完整，无法读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传"
ENCRYPTED = "文件已加密（设置了打开密码），无法读取。请在 Excel 或 WPS 中取消密码后另存再上传"
NOT_TABLE = "文件不是 Excel 或 WPS 表格，请上传 .xlsx、.xls 或 .ods 文件"

# What people upload by mistake, to say what the file looks like.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"BM", "BMP 图片"),
)


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def sniff(data: bytes, caps: Caps) -> str:
    """Return XLSX, XLS or ODS, or raise UnreadableFile saying why not.

    Also checks the caps that can be checked without calamine: bytes, zip directory,
    decompressed sizes, sheet count and the extent of every sheet.
    """
    try:
        return _sniff(data, caps)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can break any parser here
        raise UnreadableFile(CORRUPT) from exc


_PICTURE_FOLDERS = ("xl/media/", "Pictures/")
PICTURES_HINT = "表格中不必插入照片：请删除照片后另存再上传，活动照片请随宣传稿件上传"


def picture_bytes(data: bytes) -> int:
    """Compressed bytes of the pictures inside an .xlsx or .ods (0 for anything else);
    only the zip directory is read."""
    if not data.startswith(ZIP_MAGIC):
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(i.compress_size for i in archive.infolist()
                       if i.filename.startswith(_PICTURE_FOLDERS))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return 0


def check_size(size: int, caps: Caps, pictures: int = 0, *, opaque: bool = False) -> None:
    """Refuse a file over the caps, saying when pictures are what makes it big.

    ``pictures``: bytes of pictures found inside; ``opaque``: the format keeps pictures
    where they cannot be measured (an .xls), so the hint is given as a possibility."""
    if size <= caps.max_bytes:
        return
    if size - pictures <= caps.max_bytes and size <= caps.max_bytes_with_pictures:
        return
    found = f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {mb(caps.max_bytes)}"
    if pictures * 2 >= size:
        raise UnreadableFile(f"{found}，其中照片约 {mb(pictures)}。{PICTURES_HINT}",
                             "too_large")
    if opaque:
        raise UnreadableFile(f"{found}。如果表格中插入了照片，{PICTURES_HINT}", "too_large")
    raise UnreadableFile(found, "too_large")


def _sniff(data: bytes, caps: Caps) -> str:
    if not data:
        raise UnreadableFile("文件是空的（0 字节）", "empty")
    if len(data) > caps.max_bytes:
        check_size(len(data), caps, picture_bytes(data), opaque=data.startswith(OLE2_MAGIC))
    if data.startswith(OLE2_MAGIC):
        return _sniff_ole2(data, caps)
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK"):
        return _sniff_zip(data, caps)
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(f"{NOT_TABLE}（上传的文件看起来是{what}）", "not_spreadsheet")
    head = data[:2048].lstrip()
    if head[:5].lower() in (b"<html", b"<!doc") or head.startswith(b"<?xml"):
        raise UnreadableFile(
            f"{NOT_TABLE}（上传的文件是网页或 XML 文本，可能是从网页导出的“假 xls”，"
            "请在 Excel 或 WPS 中另存为 .xlsx）", "not_spreadsheet")
    if _looks_like_text(data[:4096]):
        raise UnreadableFile(
            f"{NOT_TABLE}（上传的文件是纯文本，如 CSV，请在 Excel 或 WPS 中另存为 .xlsx）",
            "not_spreadsheet")
    raise UnreadableFile(NOT_TABLE, "not_spreadsheet")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(c.isprintable() or c in "\r\n\t" for c in text)
    return False


# ---------------------------------------------------------------- zip (xlsx, ods)


def _sniff_zip(data: bytes, caps: Caps) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise UnreadableFile(CORRUPT) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        kind = XLSX
    elif "mimetype" in names and "content.xml" in names:
        kind = ODS
    elif "xl/workbook.bin" in names:
        raise UnreadableFile(
            "不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 再上传", "not_spreadsheet")
    elif "word/document.xml" in names:
        raise UnreadableFile(f"{NOT_TABLE}（上传的是 Word 文档）", "not_spreadsheet")
    elif "ppt/presentation.xml" in names:
        raise UnreadableFile(f"{NOT_TABLE}（上传的是 PowerPoint 演示文稿）", "not_spreadsheet")
    else:
        raise UnreadableFile(f"{NOT_TABLE}（上传的是其他压缩包）", "not_spreadsheet")
    _check_zip_directory(infos, caps)
    with archive:
        if kind == ODS:
            _check_ods(archive, caps)
        else:
            _check_xlsx(archive, infos, caps)
    return kind


def _check_zip_directory(infos: list[zipfile.ZipInfo], caps: Caps) -> None:
    """What the central directory declares; the actual bytes are checked while reading."""
    if len(infos) > caps.max_zip_entries:
        raise UnreadableFile(
            f"文件内部的条目过多（{len(infos)} 个，上限 {caps.max_zip_entries} 个），"
            "不像是正常的表格", "bomb")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFile(ENCRYPTED, "encrypted")
        total += info.file_size
        if (info.file_size > caps.ratio_floor
                and info.file_size > caps.max_ratio * max(info.compress_size, 1)):
            raise UnreadableFile(
                f"文件中的“{info.filename}”压缩比异常（超过 {caps.max_ratio}:1 的上限），"
                "可能是恶意构造的文件，已拒绝读取", "bomb")
    if total > caps.max_unzipped_bytes:
        raise UnreadableFile(
            f"文件解压后过大（{mb(total)}，上限 {mb(caps.max_unzipped_bytes)}）", "bomb")


def _read_member(archive: zipfile.ZipFile, name: str, caps: Caps, budget: list[int]):
    """Yield the entry's bytes in chunks, counting them against the unzip budget.

    zipfile stops at the declared size and checks the CRC, so a header that lies about
    the size ends in BadZipFile rather than in an unbounded stream.
    """
    try:
        with archive.open(name) as member:
            tail = b""
            while chunk := member.read(1 << 20):
                budget[0] += len(chunk)
                if budget[0] > caps.max_unzipped_bytes:
                    raise UnreadableFile(
                        f"文件解压后过大（超过 {mb(caps.max_unzipped_bytes)} 上限）", "bomb")
                _refuse_dtd(tail + chunk[:64], chunk)
                tail = chunk[-16:]
                yield chunk
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise UnreadableFile(CORRUPT) from exc


# Office files never carry a DTD. One in an XML part is an entity bomb ("billion laughs")
# or an external-entity (XXE) attempt, whatever the parser would make of it.
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
DTD_REFUSED = ("文件中含有 XML 实体声明（DOCTYPE/ENTITY），正常的表格不会有，"
               "可能是恶意构造的文件，已拒绝读取")


def _refuse_dtd(seam: bytes, chunk: bytes) -> None:
    if _DTD.search(chunk) or _DTD.search(seam):
        raise UnreadableFile(DTD_REFUSED, "bomb")


# A cell reference with a value: <c r="AB12" ...> but not the empty <c r="AB12" s="3"/>
# (no attribute of <c> contains a slash, so [^>/]* stops at a self-closing tag).
_XLSX_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')
_XLSX_POSITIONAL = re.compile(rb"<c(?:>|\s(?![^>]*\br=))")
_XLSX_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_SHEET_ENTRY = re.compile(r"xl/worksheets/[^/]+\.xml")


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _check_xlsx(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], caps: Caps) -> None:
    sheets = [i.filename for i in infos if _SHEET_ENTRY.fullmatch(i.filename)]
    if len(sheets) > caps.max_sheets:
        raise UnreadableFile(f"工作表过多（{len(sheets)} 个，上限 {caps.max_sheets} 个）", "bomb")
    budget = [0]
    for name in sheets:
        max_row = max_col = 0
        positional = False
        tail = b""
        for chunk in _read_member(archive, name, caps, budget):
            # The tail of the previous chunk, so a reference split across chunks is seen.
            text = tail + chunk
            tail = text[-64:]
            found = _XLSX_CELL.findall(text)
            if found:
                # C-level loops: this runs over every cell of the upload.
                letters, numbers = zip(*found, strict=True)
                max_row = max(max_row, max(map(int, numbers)))
                max_col = max(max_col, max(map(column_number, set(letters))))
            # Cheap count first: only when some <c> lacks a leading r="…" run the regex.
            if not positional and (text.count(b"<c ") + text.count(b"<c>")
                                   > text.count(b'<c r="')):
                positional = _XLSX_POSITIONAL.search(text) is not None
            if positional:
                # Cells without references follow on from the row's number: be pessimistic.
                rows = [int(r) for r in _XLSX_ROW.findall(text)]
                max_row = max([max_row, *rows])
                max_col = max(max_col, min(16_384, text.count(b"<c")))
            # Checked as the sheet is read: a huge sheet stops at its first megabyte over.
            check_extent(name.rsplit("/", 1)[-1], max_row, max_col, caps)
        check_extent(name.rsplit("/", 1)[-1], max_row, max_col, caps)
    # The other XML parts (workbook, shared strings, styles, relationships) are read too,
    # only to refuse a DTD before calamine parses them.
    for info in infos:
        if info.filename not in sheets and info.filename.endswith((".xml", ".rels")):
            for _chunk in _read_member(archive, info.filename, caps, budget):
                pass


def check_extent(sheet: str, rows: int, cols: int, caps: Caps) -> None:
    if rows > caps.max_rows:
        raise UnreadableFile(
            f"工作表“{sheet}”的行数过多（约 {rows} 行，上限 {caps.max_rows} 行）", "too_large")
    if rows * cols > caps.max_cells:
        raise UnreadableFile(
            f"工作表“{sheet}”的数据区域过大（{rows} 行 × {cols} 列，约 {rows * cols} 个单元格，"
            f"上限 {caps.max_cells} 个）", "too_large")


_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>")
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated="([0-9]+)"')
_ODS_COLS_REPEATED = re.compile(rb'number-columns-repeated="([0-9]+)"')
_ODS_ENCRYPTED = re.compile(rb"encryption-data")


def _check_ods(archive: zipfile.ZipFile, caps: Caps) -> None:
    budget = [0]
    try:
        mimetype = archive.read("mimetype").strip()
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise UnreadableFile(CORRUPT) from exc
    if mimetype != ODS_MIMETYPE:
        raise UnreadableFile(f"{NOT_TABLE}（上传的是其他 OpenDocument 文档）", "not_spreadsheet")
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = b"".join(_read_member(archive, "META-INF/manifest.xml", caps, budget))
        if _ODS_ENCRYPTED.search(manifest):
            raise UnreadableFile(ENCRYPTED, "encrypted")
    content = b"".join(_read_member(archive, "content.xml", caps, budget))
    scan_ods_extent(content, caps)


def scan_ods_extent(content: bytes, caps: Caps) -> None:
    """Measure each table as calamine will build it, with repeated rows and columns."""
    tables = 0
    name = ""
    row = max_row = max_col = 0
    col = width = 0
    repeat_rows = 1
    for m in _ODS_TAG.finditer(content):
        closing, tag, attrs, selfclosing = m.groups()
        if tag == b"table":
            if closing:
                check_extent(name, max_row, max_col, caps)
            else:
                tables += 1
                if tables > caps.max_sheets:
                    raise UnreadableFile(f"工作表过多（上限 {caps.max_sheets} 个）", "bomb")
                found = re.search(rb'table:name="([^"]*)"', attrs)
                name = found.group(1).decode("utf-8", "replace") if found else ""
                row = max_row = max_col = 0
            continue
        if tag == b"table-row":
            if closing or selfclosing:
                if width:
                    max_row = row + repeat_rows
                    max_col = max(max_col, width)
                row += repeat_rows
            if not closing:
                found = _ODS_ROWS_REPEATED.search(attrs)
                repeat_rows = int(found.group(1)) if found else 1
                col = width = 0
            continue
        if closing:
            continue
        found = _ODS_COLS_REPEATED.search(attrs)
        repeat_cols = int(found.group(1)) if found else 1
        # A cell with content is either not self-closing or carries a value type.
        if not selfclosing or b"value-type" in attrs:
            width = col + repeat_cols
        col += repeat_cols


# ---------------------------------------------------------------- OLE2 (xls)


def _sniff_ole2(data: bytes, caps: Caps) -> str:
    try:
        streams = read_ole2(data)
    except (ValueError, struct.error, IndexError) as exc:
        raise UnreadableFile(CORRUPT) from exc
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise UnreadableFile(ENCRYPTED, "encrypted")
    book = streams.get("Workbook") or streams.get("Book")
    if book is None:
        if "WordDocument" in streams:
            raise UnreadableFile(f"{NOT_TABLE}（上传的是 Word 文档）", "not_spreadsheet")
        if "PowerPoint Document" in streams:
            raise UnreadableFile(f"{NOT_TABLE}（上传的是 PowerPoint 演示文稿）", "not_spreadsheet")
        raise UnreadableFile(NOT_TABLE, "not_spreadsheet")
    try:
        scan_biff(book, caps)
    except struct.error as exc:
        raise UnreadableFile(CORRUPT) from exc
    return XLS


# Cell records: (record type) -> offset of the last column in the record, or None if the
# record holds one cell at data[2:4].
_BIFF_CELLS: dict[int, bool] = {
    0x0006: False,  # FORMULA
    0x00FD: False,  # LABELSST
    0x0203: False,  # NUMBER
    0x0204: False,  # LABEL
    0x0205: False,  # BOOLERR
    0x027E: False,  # RK
    0x00D6: False,  # RSTRING
    0x00BD: True,  # MULRK: several cells, last column in the last two bytes
}
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS, _BIFF_SHEET = 0x0809, 0x000A, 0x002F, 0x0085


def scan_biff(book: bytes, caps: Caps) -> None:
    """Walk the BIFF records of the Workbook stream: encryption, sheet count, extents."""
    pos, size = 0, len(book)
    names: list[str] = []
    substream = -1  # -1 before the globals, 0 the globals, then one per sheet
    max_row = max_col = 0
    unpack = struct.unpack_from
    while pos + 4 <= size:
        rtype, length = unpack("<HH", book, pos)
        body = pos + 4
        pos = body + length
        multi = _BIFF_CELLS.get(rtype)
        if multi is not None and length >= 4:
            row, col = unpack("<HH", book, body)
            if multi and length >= 6:
                col = unpack("<H", book, body + length - 2)[0]
            max_row = max(max_row, row + 1)
            max_col = max(max_col, col + 1)
        elif rtype == _BIFF_BOF:
            substream += 1
            max_row = max_col = 0
        elif rtype == _BIFF_EOF:
            if substream > 0:
                name = names[substream - 1] if substream <= len(names) else f"第 {substream} 个"
                check_extent(name, max_row, max_col, caps)
        elif rtype == _BIFF_FILEPASS:
            raise UnreadableFile(ENCRYPTED, "encrypted")
        elif rtype == _BIFF_SHEET:
            names.append(_biff_sheet_name(book[body:pos]))
            if len(names) > caps.max_sheets:
                raise UnreadableFile(f"工作表过多（上限 {caps.max_sheets} 个）", "bomb")


def _biff_sheet_name(record: bytes) -> str:
    """BOUNDSHEET8: position (4), state, type, then a short string (length, flags, chars)."""
    if len(record) < 8:
        return ""
    count, flags = record[6], record[7]
    if flags & 1:
        return record[8:8 + 2 * count].decode("utf-16-le", "replace")
    return record[8:8 + count].decode("latin-1")
