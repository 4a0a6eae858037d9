"""A brief from a Word document: title, text and the photos embedded in it.

The file is judged by its content (a zip holding word/document.xml, sizes bounded before
anything is unpacked); each embedded picture goes through the same checks as an upload.
A short line right under a picture (图1…, or centred) is taken as its caption.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy
from lxml import etree

from campaigndesk.audit.services import record
from campaigndesk.core.characters import invisible_count, printable
from campaigndesk.filetypes import ZIP_MAGIC, zip_listing
from campaigndesk.proofing.reader import docx_blocks, is_title

from . import photos, services

MAX_DOCX_BYTES = 40 * 1024 * 1024
# Unpacked size of all parts together: a zip bomb stops here, before python-docx reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
CAPTION_MAX = 60
MALFORMED = gettext_lazy(
    "文档内部结构异常（含 Word 不会写入的 XML 实体定义或已损坏），疑似恶意构造的文件，已拒收；"
    "请在 Word 或 WPS 中另存为新的 .docx 后再导入")


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
    except etree.LxmlError as exc:
        # A DOCTYPE with nested entities ("billion laughs") or broken XML: Word never
        # writes either. lxml stops the expansion; the file is refused as it is.
        raise DocxRefused(MALFORMED) from exc
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocxRefused(gettext("Word 文档无法读取")) from exc


def read(data: bytes) -> tuple[str, str, list[tuple[bytes, str]]]:
    """(title, body, [(image bytes, caption)]) in document order."""
    document = _open(data)
    try:
        blocks = docx_blocks(document)
    except etree.LxmlError as exc:  # a part parsed only now (headers, text boxes)
        raise DocxRefused(MALFORMED) from exc
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


def _oversized(pictures: list[tuple[bytes, str]]) -> dict[int, str]:
    """{picture number: reason} for the pictures refused from their headers alone, before
    any is decoded: each over the one-photo cap, and every one after the document's total
    reaches settings.IMPORT_PHOTOS_MAX_PIXELS (a 67 KB document held twenty 50-megapixel
    PNGs and kept a worker decoding for a minute)."""
    budget = settings.IMPORT_PHOTOS_MAX_PIXELS
    refused: dict[int, str] = {}
    total = 0
    for number, (blob, _caption) in enumerate(pictures, start=1):
        size = photos.dimensions(blob)
        if size is None:
            continue  # unreadable header: process() refuses it with its own reason
        width, height = size
        try:
            photos.check_size(width, height)
        except photos.PhotoRefused as exc:
            refused[number] = str(exc)
            continue
        if total + width * height > budget:
            refused[number] = gettext(
                "图片 %(width)d×%(height)d 像素，本文档图片总像素超过上限 %(limit)s 百万像素；"
                "请缩小图片后再导入，或导入后逐张上传") % {
                "width": width, "height": height, "limit": f"{budget / 1_000_000:g}"}
            continue
        total += width * height
    return refused


def import_docx(by, campaign, unit, upload) -> tuple[object, list[str]]:
    """A new draft from the document; pictures that fail the photo checks are reported.

    Everything slow happens before the write transaction: reading the document, and
    decoding and checking every picture (20 large photos take many seconds, and on SQLite
    a transaction holds the one write lock throughout). The transaction then only stores
    the brief, the already-made photo files and the audit entries."""
    name = (upload.name or "")[:120]
    try:
        if upload.size is not None and upload.size > MAX_DOCX_BYTES:
            raise DocxRefused(gettext("文档过大，上限为 %(limit)d MB") % {
                "limit": MAX_DOCX_BYTES // 1024 // 1024})
        title, body, pictures = read(b"".join(upload.chunks()))
    except DocxRefused as exc:
        record(by, "article.import_refused", unit, changes={"file": name, "size": upload.size},
               message=str(exc))
        raise
    problems = _oversized(pictures)
    ready: list[tuple[int, photos.ProcessedPhoto, str]] = []
    for number, (blob, caption) in enumerate(pictures, start=1):
        if number in problems:
            continue
        if len(ready) == services.MAX_PHOTOS:
            problems[number] = str(services.too_many_photos())
            continue
        try:
            ready.append((number, photos.process(blob), caption))
        except photos.PhotoRefused as exc:
            problems[number] = str(exc)
    # A document's control characters (C1 ones are valid XML) are nothing its writer can
    # see or find in Word: they are dropped, not refused; invisible ones go with canonical.
    title, body = printable(title), printable(body)
    hidden = invisible_count(title) + invisible_count(body)
    try:
        article = services.new_article(by, campaign=campaign, unit=unit, title=title,
                                       body=body)
    except services.TransitionRefused as exc:  # e.g. a body over the bound
        record(by, "article.import_refused", unit, changes={"file": name, "size": upload.size},
               message=str(exc))
        raise DocxRefused(gettext("“%(name)s”未导入：%(reason)s") % {
            "name": name, "reason": exc}) from exc
    if hidden:
        problems[0] = gettext("已删除%(n)d个不可见字符（零宽字符、软连字符或文字方向控制符）") % {
            "n": hidden}
    with transaction.atomic():
        services.save_new_article(by, article)
        for number, processed, caption in ready:
            try:
                services.add_photo(by, article, processed, caption=caption,
                                   original_name=f"Word文档图片{number}")
            except services.TransitionRefused as exc:
                problems[number] = str(exc)
        record(by, "article.import", article,
               changes={"photo": len(pictures) - len(problems), "refused": len(problems)},
               message=name)
    return article, [reason if number == 0 else gettext(
        "文档中第 %(number)d 张图片未导入：%(reason)s") % {"number": number, "reason": reason}
        for number, reason in sorted(problems.items())]
