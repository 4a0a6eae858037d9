"""An uploaded table between "show me what would be saved" and "save it".

The file is kept under a random name in the data folder (a folder per account, never the
user's file name), and read again on confirmation, so what is saved is exactly what was
previewed. A preview not confirmed within PREVIEW_HOURS is gone (on the next upload, and
by the periodic ``send_reminders``), and an account keeps at most PENDING_PER_ACCOUNT.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from campaigndesk.campaigns.models import Campaign, VocabularyKind
from campaigndesk.units.models import Unit

from . import excel_in
from .models import Report
from .services import next_round, preview_import

# The guard decides within this: 10 MB of table, more only when the rest is pictures.
MAX_UPLOAD_BYTES = excel_in.Caps().max_bytes_with_pictures
SESSION_KEY = "progress_imports"
PREVIEW_HOURS = 24
PENDING_PER_ACCOUNT = 5  # previews waiting for confirmation; older ones are dropped
_SUFFIX = ".upload"


class UploadRefused(Exception):
    """Shown to the user as it is: a Chinese sentence saying what is wrong with the file.

    ``reason`` is the reader's code (see excel.limits.UnreadableFile) for the audit log."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Pending:
    token: str
    filename: str
    path: Path


def folder(user=None) -> Path:
    """The previews' folder, or one account's in it."""
    path = Path(settings.DATA_DIR) / "imports"
    if user is not None:
        path = path / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def expire_previews(now: float | None = None) -> int:
    """Remove the previews older than PREVIEW_HOURS; returns how many."""
    limit = (time.time() if now is None else now) - PREVIEW_HOURS * 3600
    removed = 0
    for path in folder().rglob(f"*{_SUFFIX}"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by another request
            continue
    return removed


def _make_room(user) -> None:
    """Keep the account under PENDING_PER_ACCOUNT previews with the new one: the oldest go."""
    waiting = []
    for path in folder(user).glob(f"*{_SUFFIX}"):
        try:
            waiting.append((path.stat().st_mtime, path))
        except FileNotFoundError:
            continue
    for _mtime, path in sorted(waiting)[:max(0, len(waiting) - PENDING_PER_ACCOUNT + 1)]:
        path.unlink(missing_ok=True)


def keep(request, upload, *, unit: Unit, campaign: Campaign) -> Pending:
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("文件过大（%(size).1f MB），上限为 %(limit)s MB")
            % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            "too_large")
    expire_previews()
    _make_room(request.user)
    token = uuid.uuid4().hex
    path = folder(request.user) / f"{token}{_SUFFIX}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = Path(upload.name or "").name[:120]
    request.session.setdefault(SESSION_KEY, {})[token] = {
        "filename": name, "unit": unit.pk, "campaign": campaign.pk}
    request.session.modified = True
    return Pending(token, name, path)


def pending(request, token: str, *, unit: Unit, campaign: Campaign) -> Pending:
    gone = UploadRefused(_("导入已过期或已完成，请重新上传文件"))
    # Only a token this session was given names a file: the posted text never makes a path.
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["unit"] != unit.pk or entry["campaign"] != campaign.pk:
        raise gone
    path = folder(request.user) / f"{token}{_SUFFIX}"
    try:
        if path.stat().st_mtime < time.time() - PREVIEW_HOURS * 3600:
            raise gone  # not removed yet by the periodic clean-up, but expired all the same
    except FileNotFoundError:
        raise gone from None
    return Pending(token, entry["filename"], path)


def discard(request, item: Pending) -> None:
    item.path.unlink(missing_ok=True)
    request.session.get(SESSION_KEY, {}).pop(item.token, None)
    request.session.modified = True


def read_context(campaign: Campaign) -> "excel_in.ReadContext":
    labels = [i.label for i in campaign.vocabulary(VocabularyKind.SERVICE_AREA)]
    caps = excel_in.Caps(max_rows=settings.PROGRESS_IMPORT_MAX_ROWS,
                         max_cells=max(excel_in.Caps.max_cells,
                                       20 * (settings.PROGRESS_IMPORT_MAX_ROWS
                                             + excel_in.Caps.header_rows)),
                         reader_memory=settings.PROGRESS_READER_MEMORY_MB * 1024 * 1024,
                         reader_seconds=settings.PROGRESS_READER_SECONDS)
    return excel_in.ReadContext(year=campaign.year, start=campaign.start_date,
                                end=campaign.end_date, service_areas=labels, caps=caps)


def read(item: Pending, campaign: Campaign) -> "excel_in.ReadResult":
    try:
        return excel_in.read_progress(item.path.read_bytes(), filename=item.filename,
                                      context=read_context(campaign))
    except excel_in.UnreadableFile as exc:
        item.path.unlink(missing_ok=True)
        raise UploadRefused(
            _("无法读取“%(name)s”：%(error)s") % {"name": item.filename, "error": exc},
            exc.reason) from None


@dataclass(frozen=True)
class Plan:
    new: int
    updated: int  # rows that change an activity already on file (a corrected row)
    unchanged: int  # rows equal to one already on file (a cumulative table's earlier rows)
    skipped: list[str]  # rows that will not be saved, and why
    round: Report | None = None  # where the new rows go (None: every round is submitted)
    # When the submission will count, if not now (a mailed table: the mail's arrival).
    counted_at: datetime | None = None

    @property
    def already_reported(self) -> int:
        return self.updated + self.unchanged


def plan(result, campaign: Campaign, unit: Unit) -> Plan:
    """What the import will do, decided by the same planning as the import itself
    (services.preview_import), so the preview and the result can never disagree."""
    into = next_round(campaign, unit)
    planned = preview_import(campaign, unit, result.rows, into=into)
    return Plan(new=planned.created, updated=planned.updated, unchanged=planned.unchanged,
                skipped=planned.skipped, round=into)
