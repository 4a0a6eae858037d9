"""Comparing a file a job wrote with the one the inline code writes: the same archive
members with the same content, the moments of writing left out (a .zip member's time, a
.docx or .xlsx's dcterms:created, a PDF's CreationDate)."""

import io
import re
import zipfile

_CORE_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
_PDF_TIMES = re.compile(rb"/(CreationDate|ModDate) *\([^)]*\)")


def contents(data: bytes) -> dict[str, object]:
    out: dict[str, object] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            body = archive.read(name)
            if name == "docProps/core.xml":
                out[name] = _CORE_TIMES.sub(b"", body)
            elif body.startswith(b"PK\x03\x04"):
                out[name] = contents(body)
            elif body.startswith(b"%PDF"):
                out[name] = _PDF_TIMES.sub(b"", body)
            else:
                out[name] = body
    return out
