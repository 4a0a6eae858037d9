"""Small files for upload tests, made in memory."""

import io
from pathlib import Path

from docx import Document
from PIL import Image

DATA = Path(__file__).parent / "data"  # files made by real tools (summary.doc: LibreOffice)


def docx_bytes(text: str = "2022年社会工作主题宣传活动总结") -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    # The smallest file a PDF reader opens: enough for a check by content.
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()
