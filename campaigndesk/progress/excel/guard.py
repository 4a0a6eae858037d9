"""Decide what an uploaded file is, and refuse it before parsing when it could hurt us.

The format is taken from the content (magic bytes and container entries), never from the
file name: WPS users rename files freely. Caps are checked on what the file *says* (zip
central directory, OLE2 directory) and then on what it *is* (actual decompressed bytes,
the extent of the cells), because calamine allocates the whole rectangle from A1 to the
last non-empty cell in one block: a 2 KB xlsx with one cell in XFD1048576 makes it ask
for 512 GB and abort the process. That cannot be caught as an exception, so the extent
is measured here first, from the XML (``extent``) or the BIFF records; and calamine
itself runs in a child process with a memory limit (``sandbox``), so whatever slips
past the measurement kills only that child.

A CSV has no magic: it is what is left when the bytes are text with a delimiter
(``csvbook.looks_like_csv``), after every binary format and the web pages saved as .xls.
Python's csv module reads it in process, within the same byte, row and cell caps.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from campaigndesk.filetypes import OLE2_MAGIC, ZIP_MAGIC, read_ole2

from .csvbook import CSV, NOT_TEXT_TABLE, looks_like_csv, looks_like_text
from .extent import DTD_REFUSED, measure_ods_content, measure_xlsx_part, sheet_names
from .limits import CORRUPT, ENCRYPTED, NOT_TABLE, Caps, UnreadableFile, check_extent, mb

__all__ = ["CORRUPT", "CSV", "ENCRYPTED", "NOT_TABLE", "ODS", "XLS", "XLSX", "Caps",
           "UnreadableFile", "check_extent", "check_size", "identify", "measure", "sniff"]

XLSX, XLS, ODS = "xlsx", "xls", "ods"
T = TypeVar("T")

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


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


def sniff(data: bytes, caps: Caps) -> str:
    """Return XLSX, XLS, ODS or CSV, or raise UnreadableFile saying why not: ``identify`` then
    ``measure``, every cap that can be checked without calamine."""
    kind = identify(data, caps)
    measure(data, kind, caps)
    return kind


def identify(data: bytes, caps: Caps) -> str:
    """The format, from the content, and the cheap checks: bytes, zip directory, sheet
    count, encryption (and, for an .xls, the extent of its sheets)."""
    return _refusing(_identify, data, caps)


def measure(data: bytes, kind: str, caps: Caps) -> None:
    """The extent of every sheet of an .xlsx or .ods, from its XML, and the actual
    decompressed sizes: the expensive part, which a reader may overlap (see sandbox)."""
    if kind in (XLSX, ODS):
        _refusing(_measure_zip, data, kind, caps)


def _refusing(check: Callable[..., T], *args: Any) -> T:
    try:
        return check(*args)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can break any parser here
        raise UnreadableFile(CORRUPT) from exc


def _measure_zip(data: bytes, kind: str, caps: Caps) -> None:
    archive, infos = _open_zip(data)
    with archive:
        if kind == ODS:
            measure_ods_content(_read_member(archive, "content.xml", caps, [0]), caps)
        else:
            _measure_xlsx(archive, infos, caps)


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


def _identify(data: bytes, caps: Caps) -> str:
    if not data:
        raise UnreadableFile("文件是空的（0 字节）", "empty")
    if len(data) > caps.max_bytes:
        check_size(len(data), caps, picture_bytes(data), opaque=data.startswith(OLE2_MAGIC))
    if data.startswith(OLE2_MAGIC):
        return _identify_ole2(data, caps)
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK"):
        return _identify_zip(data, caps)
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(f"{NOT_TABLE}（上传的文件看起来是{what}）", "not_spreadsheet")
    head = data[:2048].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head[:5].lower() in (b"<html", b"<!doc") or head.startswith(b"<?xml"):
        raise UnreadableFile(
            f"{NOT_TABLE}（上传的文件是网页或 XML 文本，可能是从网页导出的“假 xls”，"
            "请在 Excel 或 WPS 中另存为 .xlsx）", "not_spreadsheet")
    # Last, as it has no magic: text with a delimiter is a CSV; its whole content is
    # decoded and checked when it is read (csvbook), within the byte cap checked above.
    if looks_like_csv(data):
        return CSV
    if looks_like_text(data):
        raise UnreadableFile(NOT_TEXT_TABLE, "not_spreadsheet")
    raise UnreadableFile(NOT_TABLE, "not_spreadsheet")


# ---------------------------------------------------------------- zip (xlsx, ods)


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise UnreadableFile(CORRUPT) from exc


def _identify_zip(data: bytes, caps: Caps) -> str:
    archive, infos = _open_zip(data)
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
    sheets = [i for i in infos if _SHEET_ENTRY.fullmatch(i.filename)]
    if len(sheets) > caps.max_sheets:
        raise UnreadableFile(f"工作表过多（{len(sheets)} 个，上限 {caps.max_sheets} 个）", "bomb")
    if kind == ODS:
        with archive:
            _identify_ods(archive, caps)
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


def _read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, caps: Caps,
                 budget: list[int]) -> Iterator[bytes]:
    """Yield the entry's bytes in chunks, counting them against the unzip budget.

    zipfile stops at the declared size and checks the CRC, so a header that lies about
    the size ends in BadZipFile rather than in an unbounded stream.
    """
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                budget[0] += len(chunk)
                if budget[0] > caps.max_unzipped_bytes:
                    raise UnreadableFile(
                        f"文件解压后过大（超过 {mb(caps.max_unzipped_bytes)} 上限）", "bomb")
                yield chunk
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise UnreadableFile(CORRUPT) from exc


# Office files never carry a DTD. One in an XML part is an entity bomb ("billion laughs")
# or an external-entity (XXE) attempt, whatever a parser would make of it. The parts that
# are measured are refused by expat; the others by their bytes.
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Where calamine finds a sheet's cells, in the encodings an XML part may use.
_SHEET_DATA = tuple("sheetData".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))
_SEAM = 2 * len("sheetData")
_SHEET_ENTRY = re.compile(r"xl/worksheets/[^/]+\.xml")


def _holds_sheet_data(archive: zipfile.ZipFile, info: zipfile.ZipInfo, caps: Caps,
                      budget: list[int]) -> bool:
    """Whether the entry may hold sheet data; a DTD in an XML part is refused on the way.

    The workbook's relationships may send calamine to any entry for a sheet, so every
    entry is looked at, not only xl/worksheets/.
    """
    xml = info.filename.endswith((".xml", ".rels"))
    tail = b""
    found = False
    for chunk in _read_member(archive, info, caps, budget):
        seam = tail + chunk[:_SEAM]
        if xml and (_DTD.search(chunk) or _DTD.search(seam)):
            raise UnreadableFile(DTD_REFUSED, "bomb")
        found = found or any(n in chunk or n in seam for n in _SHEET_DATA)
        tail = chunk[-_SEAM:]
    return found


def _measure_xlsx(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], caps: Caps) -> None:
    budget = [0]
    names = _sheet_names(archive, caps, budget)
    for info in infos:
        if info.is_dir():
            continue
        label = names.get(info.filename) or info.filename.rsplit("/", 1)[-1]
        if _SHEET_ENTRY.fullmatch(info.filename) or _holds_sheet_data(
                archive, info, caps, budget):
            measure_xlsx_part(_read_member(archive, info, caps, budget), label, caps)


def _sheet_names(archive: zipfile.ZipFile, caps: Caps, budget: list[int]) -> dict[str, str]:
    """The tab names of the sheets (by part path); empty when the workbook part or its
    relationships are missing, and messages then name the part."""
    try:
        return sheet_names(_read_member(archive, "xl/workbook.xml", caps, budget),
                           _read_member(archive, "xl/_rels/workbook.xml.rels", caps, budget))
    except KeyError:
        return {}


_ODS_ENCRYPTED = re.compile(rb"encryption-data")


def _identify_ods(archive: zipfile.ZipFile, caps: Caps) -> None:
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


def scan_ods_extent(content: bytes, caps: Caps) -> None:
    """Measure the tables of an ODS content.xml held in memory."""
    measure_ods_content([content], caps)


# ---------------------------------------------------------------- OLE2 (xls)


def _identify_ole2(data: bytes, caps: Caps) -> str:
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
