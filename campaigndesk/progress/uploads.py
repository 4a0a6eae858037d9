"""An uploaded table between "show me what would be saved" and "save it".

The file is kept under a random name in the data folder, never under the user's name, and
read again on confirmation, so what is saved is exactly what was previewed.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from campaigndesk.campaigns.models import Campaign, VocabularyKind
from campaigndesk.units.models import Unit

from . import excel_in
from .services import preview_import

# The guard decides within this: 10 MB of table, more only when the rest is pictures.
MAX_UPLOAD_BYTES = excel_in.Caps().max_bytes_with_pictures
SESSION_KEY = "progress_imports"


class UploadRefused(Exception):
    """Shown to the user as it is: a Chinese sentence saying what is wrong with the file."""


@dataclass(frozen=True)
class Pending:
    token: str
    filename: str
    path: Path


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(request, upload, *, unit: Unit, campaign: Campaign) -> Pending:
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("文件过大（%(size).1f MB），上限为 %(limit)s MB")
            % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024})
    token = uuid.uuid4().hex
    path = folder() / f"{token}.upload"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = Path(upload.name or "").name[:120]
    request.session.setdefault(SESSION_KEY, {})[token] = {
        "filename": name, "unit": unit.pk, "campaign": campaign.pk}
    request.session.modified = True
    return Pending(token, name, path)


def pending(request, token: str, *, unit: Unit, campaign: Campaign) -> Pending:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    path = folder() / f"{token}.upload"
    if (not entry or entry["unit"] != unit.pk or entry["campaign"] != campaign.pk
            or not path.exists()):
        raise UploadRefused(_("导入已过期或已完成，请重新上传文件"))
    return Pending(token, entry["filename"], path)


def discard(request, item: Pending) -> None:
    item.path.unlink(missing_ok=True)
    request.session.get(SESSION_KEY, {}).pop(item.token, None)
    request.session.modified = True


def read_context(campaign: Campaign) -> "excel_in.ReadContext":
    labels = [i.label for i in campaign.vocabulary(VocabularyKind.SERVICE_AREA)]
    return excel_in.ReadContext(year=campaign.year, start=campaign.start_date,
                                end=campaign.end_date, service_areas=labels)


def read(item: Pending, campaign: Campaign) -> "excel_in.ReadResult":
    try:
        return excel_in.read_progress(item.path.read_bytes(), filename=item.filename,
                                      context=read_context(campaign))
    except excel_in.UnreadableFile as exc:
        item.path.unlink(missing_ok=True)
        raise UploadRefused(
            _("无法读取“%(name)s”：%(error)s") % {"name": item.filename, "error": exc}
        ) from None


@dataclass(frozen=True)
class Plan:
    new: int
    updated: int  # rows that change an activity already on file (a corrected row)
    unchanged: int  # rows equal to one already on file (a cumulative table's earlier rows)
    skipped: list[str]  # rows that will not be saved, and why

    @property
    def already_reported(self) -> int:
        return self.updated + self.unchanged


def plan(result, campaign: Campaign, unit: Unit) -> Plan:
    """What the import will do, decided by the same planning as the import itself
    (services.preview_import), so the preview and the result can never disagree."""
    planned = preview_import(campaign, unit, result.rows)
    return Plan(new=planned.created, updated=planned.updated, unchanged=planned.unchanged,
                skipped=planned.skipped)
