"""A brief from a Word document: title, text and the photos embedded in it.

The file is judged by its content (a zip holding word/document.xml, sizes bounded before
anything is unpacked); each embedded picture goes through the same checks as an upload.
A short line right under a picture (图1…, or centred) is taken as its caption.
"""

from __future__ import annotations

import io
import zipfile

from django.db import transaction
from django.utils.translation import gettext

from campaigndesk.audit.services import record
from campaigndesk.filetypes import ZIP_MAGIC, zip_listing
from campaigndesk.proofing.reader import docx_blocks, is_title

from . import photos, services

MAX_DOCX_BYTES = 40 * 1024 * 1024
# Unpacked size of all parts together: a zip bomb stops here, before python-docx reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
CAPTION_MAX = 60
class DocxRefused(Exception):
    """Shown to the user as it is."""


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(ZIP_MAGIC):
        raise DocxRefused(gettext("不是 Word 文档（.docx）；旧版 .doc 请在 Word 中另存为 .docx"))
    try:
        names, unpacked = zip_listing(data)
    except zipfile.BadZipFile as exc:
        raise DocxRefused(gettext("文件已损坏，无法打开")) from exc
    if "word/document.xml" not in names:
        raise DocxRefused(gettext("不是 Word 文档（.docx）"))
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocxRefused(gettext("文档解压后过大，疑似异常文件，已拒收"))
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocxRefused(gettext("Word 文档无法读取")) from exc


def read(data: bytes) -> tuple[str, str, list[tuple[bytes, str]]]:
    """(title, body, [(image bytes, caption)]) in document order."""
    blocks = docx_blocks(_open(data))
    texts = [(i, b.text, b.style) for i, b in enumerate(blocks) if b.text]
    if not texts:
        raise DocxRefused(gettext("文档中没有文字"))
    # As in the proofreading reader: the first heading is the title, else the first line.
    title_index = next((i for i, _, s in texts if is_title(s)), texts[0][0])
    captions: set[int] = set()
    pictures: list[tuple[bytes, str]] = []
    for index, block in enumerate(blocks):
        if not block.images:
            continue
        caption = block.text
        following = index + 1
        if not caption and following < len(blocks):
            nxt = blocks[following]
            if (nxt.text and not nxt.images and len(nxt.text) <= CAPTION_MAX
                    and (nxt.text.startswith("图") or nxt.centred)):
                caption = nxt.text
                captions.add(following)
        if block.text:
            captions.add(index)
        pictures.extend((blob, caption[:200]) for blob in block.images)
    body = "\n".join(t for i, t, _ in texts if i != title_index and i not in captions)
    return blocks[title_index].text[:200], body, pictures


@transaction.atomic
def import_docx(by, campaign, unit, upload) -> tuple[object, list[str]]:
    """A new draft from the document; pictures that fail the photo checks are reported."""
    if upload.size is not None and upload.size > MAX_DOCX_BYTES:
        raise DocxRefused(gettext("文档过大，上限为 %(limit)d MB") % {
            "limit": MAX_DOCX_BYTES // 1024 // 1024})
    data = b"".join(upload.chunks())
    title, body, pictures = read(data)
    article = services.create_article(by, campaign=campaign, unit=unit, title=title, body=body)
    problems = []
    for number, (blob, caption) in enumerate(pictures, start=1):
        try:
            services.add_photo(by, article, blob, caption=caption,
                               original_name=f"Word文档图片{number}")
        except (photos.PhotoRefused, services.TransitionRefused) as exc:
            problems.append(gettext("文档中第 %(number)d 张图片未导入：%(reason)s") % {
                "number": number, "reason": exc})
    record(by, "article.import", article, changes={"photo": len(pictures) - len(problems)},
           message=(upload.name or "")[:120])
    return article, problems
