"""Final summaries: written on the web or uploaded as .docx/.doc/.pdf, every version kept.

A file is judged by its content, never by its name: a .docx must be a zip holding
word/document.xml, a .pdf must start with %PDF-. It is stored under a random name in the
data folder (not under MEDIA_URL) and served only through a view that checks permissions.
The first version creates the campaigns.Submission, which is what marks it on time or late.
"""

from __future__ import annotations

import struct
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Deadline, DeadlineKind, Submission
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.filetypes import OLE2_MAGIC, ZIP_MAGIC, read_ole2, zip_listing
from campaigndesk.formrows import plain_newlines
from campaigndesk.units.models import Unit

from .models import FileKind, FinalSummary, FinalSummaryVersion

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 30_000
# Unpacked size of a .docx: a zip bomb is refused before anything reads it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "summaries"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(version: FinalSummaryVersion) -> Path:
    return Path(settings.DATA_DIR) / version.relative_path


def sniff(data: bytes) -> str:
    """FileKind.DOCX, DOC or PDF from the bytes, or ValidationError in Chinese."""
    if data.startswith(b"%PDF-"):
        return FileKind.PDF
    if data.startswith(OLE2_MAGIC):
        return _sniff_doc(data)
    if data.startswith(ZIP_MAGIC):
        try:
            names, unpacked = zip_listing(data)
        except zipfile.BadZipFile:
            raise ValidationError(_("文件已损坏，无法作为 Word 文档打开")) from None
        if "word/document.xml" not in names:
            raise ValidationError(
                _("这不是 Word 文档（.docx）：压缩包里没有正文 word/document.xml"))
        if unpacked > MAX_UNPACKED_BYTES:
            raise ValidationError(_("Word 文档解压后过大，请删去大图片后重新上传"))
        return FileKind.DOCX
    raise ValidationError(_(
        "只接受 Word（.docx、.doc）或 PDF 文件；此文件的内容都不是（改扩展名不会改变文件类型）"))


def _sniff_doc(data: bytes) -> str:
    """Word 97-2003 (.doc, and WPS's .wps, the same binary format): a compound file with a
    WordDocument stream whose header is not marked encrypted. Stored as it is, for the
    department to open in Word or WPS."""
    try:
        streams = read_ole2(data)
    except (ValueError, struct.error, IndexError):
        raise ValidationError(_("文件已损坏，无法作为 Word 文档打开")) from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise ValidationError(_("文件设置了打开密码，请去掉密码后重新上传"))
    word = streams.get("WordDocument", b"")
    if len(word) < 12:
        kind = _("Excel 表格") if "Workbook" in streams or "Book" in streams else ""
        raise ValidationError(
            _("这不是 Word 文档（上传的是%(kind)s）") % {"kind": kind} if kind
            else _("这不是 Word 文档：文件里没有 Word 正文"))
    # FibBase: wIdent 0xA5EC, and fEncrypted (bit 0x0100 of the flags at offset 10).
    ident, flags = struct.unpack_from("<H", word, 0)[0], struct.unpack_from("<H", word, 10)[0]
    if ident != 0xA5EC:
        raise ValidationError(_("这不是 Word 文档：文件里没有 Word 正文"))
    if flags & 0x0100:
        raise ValidationError(_("文件设置了打开密码，请去掉密码后重新上传"))
    return FileKind.DOC


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def summary_deadlines(campaign) -> list[Deadline]:
    return list(campaign.deadlines.filter(kind=DeadlineKind.SUMMARY).order_by("due_at"))


def _checked_file(upload: Upload) -> tuple[str, int, str]:
    """(kind, size, name) of an acceptable file, or ValidationError in Chinese."""
    size = len(upload.data)
    if size > MAX_FILE_BYTES:
        raise ValidationError(_("文件过大（%(size).1f MB），上限 %(limit)s MB")
                              % {"size": size / 1024 / 1024,
                                 "limit": MAX_FILE_BYTES // 1024 // 1024})
    if not size:
        raise ValidationError(_("文件是空的"))
    return sniff(upload.data), size, Path(upload.name or "").name[:120]


def submit_summary(by, deadline: Deadline, unit: Unit, *, text: str = "",
                   upload: Upload | None = None,
                   now: datetime | None = None) -> FinalSummaryVersion:
    """Save the next version. Text or a file (or both: a covering note with the file).
    The file is checked before the write transaction; a refused file is audited."""
    ensure_open(deadline.campaign_id)
    if deadline.kind != DeadlineKind.SUMMARY:
        raise ValidationError(_("此报送节点不是活动总结报送"))
    # A textarea's CRLF: kept as LF, so a version sent unchanged reads the same.
    text = plain_newlines(text).strip()
    if not text and upload is None:
        raise ValidationError(_("请填写总结正文或上传总结文件"))
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(_("正文过长（%(length)s 字），上限 %(limit)s 字；"
                                "较长的总结请上传 Word 文档")
                              % {"length": len(text), "limit": MAX_TEXT_CHARS})
    kind, key, size, name = FileKind.NONE, "", 0, ""
    if upload is not None:
        try:
            kind, size, name = _checked_file(upload)
        except ValidationError as exc:
            record(by, "summary.refused", unit, message="；".join(exc.messages),
                   changes={"file": Path(upload.name or "").name[:120],
                            "size": len(upload.data)})
            raise
        key = uuid.uuid4().hex
    with transaction.atomic():
        return _save_version(by, deadline, unit, text=text, upload=upload, kind=kind, key=key,
                             size=size, name=name, now=now)


def _save_version(by, deadline: Deadline, unit: Unit, *, text: str, upload: Upload | None,
                  kind: str, key: str, size: int, name: str,
                  now: datetime | None) -> FinalSummaryVersion:
    now = now or timezone.now()
    summary, _created = FinalSummary.objects.get_or_create(deadline=deadline, unit=unit)
    summary = FinalSummary.objects.select_for_update().get(pk=summary.pk)
    number = (summary.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    version = FinalSummaryVersion(summary=summary, number=number, text=text, file_kind=kind,
                                  file_key=key, original_name=name, size_bytes=size,
                                  submitted_at=now, submitted_by=by)
    if key:
        (folder() / f"{key}.{kind}").write_bytes(upload.data)
    version.save()
    # Timeliness is judged on the first version, as for progress reports.
    Submission.objects.get_or_create(deadline=deadline, unit=unit,
                                     defaults={"submitted_at": now, "submitted_by": by})
    late = version.is_late
    record(by, "summary.submit", summary, changes={
        "version": number, "file": name or "", "late": late},
        message="逾期报送" if late else "按时报送")
    return version
