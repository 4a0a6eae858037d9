"""What a file is, from its bytes: shared by every upload check (spreadsheets, Word
documents, summaries). Plain Python, no Django: the Excel reader uses it too.
"""

from __future__ import annotations

import io
import struct
import zipfile

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .xls, .doc, .wps
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .docx, .ods


def zip_listing(data: bytes) -> tuple[set[str], int]:
    """The member names of a zip and their unpacked size together, from the directory
    alone (nothing is unpacked). Raises zipfile.BadZipFile for a broken archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    return {info.filename for info in infos}, sum(info.file_size for info in infos)


_FREESECT, _ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def read_ole2(data: bytes) -> dict[str, bytes]:
    """The streams of a compound file (OLE2) by name; enough of [MS-CFB] for .xls.

    Every chain walk is bounded by the number of sectors, so a cyclic FAT ends in
    ValueError instead of a hang.
    """
    if len(data) < 512 or not data.startswith(OLE2_MAGIC):
        raise ValueError("not OLE2")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError("bad sector size")
    ssize = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38)
    n_sectors = (len(data) - ssize) // ssize + 1

    def sector(i: int) -> bytes:
        if i >= n_sectors:
            raise ValueError("sector out of range")
        start = ssize + i * ssize
        return data[start:start + ssize]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    nxt, seen = first_difat, 0
    while nxt not in (_ENDOFCHAIN, _FREESECT) and seen < n_difat:
        words = struct.unpack(f"<{ssize // 4}I", sector(nxt))
        difat.extend(words[:-1])
        nxt = words[-1]
        seen += 1
    fat: list[int] = []
    for s in difat[:n_fat]:
        if s in (_FREESECT, _ENDOFCHAIN):
            continue
        fat.extend(struct.unpack(f"<{ssize // 4}I", sector(s)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        while start not in (_ENDOFCHAIN, _FREESECT):
            if start >= len(table) or len(out) >= limit:
                raise ValueError("broken chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat, n_sectors))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, off + 0x40)
        name = directory[off:off + max(name_len - 2, 0)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<IQ", directory, off + 0x74)
        entries.append((name, kind, start, size))
    if not entries or entries[0][1] != 5:
        raise ValueError("no root entry")
    root_start, root_size = entries[0][2], entries[0][3]
    ministream = b"".join(sector(s) for s in chain(root_start, fat, n_sectors))[:root_size]
    minifat: list[int] = []
    for s in chain(first_minifat, fat, n_sectors)[:n_minifat]:
        minifat.extend(struct.unpack(f"<{ssize // 4}I", sector(s)))
    streams: dict[str, bytes] = {}
    for name, kind, start, size in entries[1:]:
        if kind != 2:
            continue
        if size < mini_cutoff:
            cells = chain(start, minifat, len(ministream) // 64 + 1)
            body = b"".join(ministream[s * 64:(s + 1) * 64] for s in cells)
        else:
            body = b"".join(sector(s) for s in chain(start, fat, n_sectors))
        streams[name] = body[:size]
    return streams
