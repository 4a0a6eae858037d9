"""Importing a province's package at the ministry (issue 17 point 2).

Everything is checked first (reading.read_package, in memory); then the photo files are
written under new names, and one transaction replaces the province's older package of the
same year (rows and the audit entry together). If the transaction fails, the new files are
removed; the old package's files go only once the replacement is committed. So a refused
or failed import leaves nothing behind, and a replaced package nothing of itself.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from django.db import transaction

from campaigndesk.audit.services import record

from .models import ProvinceBrief, ProvinceFigure, ProvincePackage, ProvincePhoto, new_key
from .reading import Package, PackageRefused, read_package

THUMB_SUFFIX = ".thumb.jpg"


def thumb_path(photo: ProvincePhoto) -> Path:
    return photo.path.with_name(photo.key + THUMB_SUFFIX)


def _write(path: Path, data: bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written.append(path)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _files_of(package: ProvincePackage) -> list[Path]:
    paths = []
    for photo in ProvincePhoto.objects.filter(brief__package=package):
        paths += [photo.path, thumb_path(photo)]
    if package.summary_key:
        paths.append(package.summary_path)
    return paths


def _refuse(by, file_name: str, size: int, message: str) -> None:
    # Refused uploads are audited like the other refused files (photos, tables, summaries).
    with transaction.atomic():
        record(by, "ministry.refused", None, message=message,
               changes={"file": file_name[:120], "size": size})
    raise PackageRefused(message)


def _save(by, checked: Package, *, file_name: str, data: bytes,
          written: list[Path]) -> ProvincePackage:
    manifest = checked.manifest
    province, campaign = manifest["province"], manifest["campaign"]
    totals = checked.figures["totals"]
    package = ProvincePackage(
        province_code=province["code"], province_name=province["name"],
        year=campaign["year"], campaign_title=campaign["title"],
        document_number=campaign.get("document_number", ""),
        start_date=checked.start_date, end_date=checked.end_date,
        format_version=manifest["format_version"], producer=manifest["producer"],
        created_at=checked.created_at, sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data), file_name=file_name[:200], imported_by=by,
        reporting_units=checked.figures["reporting_units"], summary=checked.summary,
        **{name: totals[name] for name in ("activities", "participants", "beneficiaries",
                                          "funds_fen", "materials_fen")})
    if checked.summary_data:
        package.summary_key = new_key()
        package.summary_suffix = posixpath.splitext(checked.summary_name)[1].lower()
        _write(package.summary_path, checked.summary_data, written)
    package.save()
    names = {unit["code"]: unit["name"] for unit in checked.figures["units"]}
    rounds = {item["number"]: item["title"] for item in checked.figures["rounds"]}
    ProvinceFigure.objects.bulk_create(
        [ProvinceFigure(package=package, unit_code=row["unit"], unit_name=names[row["unit"]],
                        round_number=row["round"], round_title=rounds[row["round"]],
                        **{name: row[name] for name in totals})
         for row in checked.figures["rows"]], batch_size=2000)
    for brief in checked.briefs:
        item = brief.content
        saved = ProvinceBrief.objects.create(
            package=package, number=brief.number, title=item["title"],
            unit_code=item["unit"]["code"], unit_name=item["unit"]["name"],
            time_text=item.get("time", ""), place_text=item.get("place", ""),
            recipients_text=item.get("recipients", ""),
            participants_text=item.get("participants", ""), body=item["body"],
            is_typical=item.get("typical", False), recommended_at=brief.recommended_at,
            publications=item.get("publications", []))
        for position, photo in enumerate(brief.photos, start=1):
            stored = ProvincePhoto(brief=saved, position=position, caption=photo.caption,
                                   width=photo.width, height=photo.height,
                                   size_bytes=len(photo.data), sha256=photo.sha256)
            _write(stored.path, photo.data, written)
            _write(thumb_path(stored), photo.thumb, written)
            stored.save()
    return package


def import_package(by, data: bytes, *, file_name: str = "") -> ProvincePackage:
    """Check and save a province's package; a newer package of the same province and year
    replaces the older one in the same transaction. Raises PackageRefused (audited) with
    the sentence for the user."""
    try:
        checked = read_package(data)
    except PackageRefused as exc:
        _refuse(by, file_name, len(data), str(exc))
    manifest = checked.manifest
    code, year = manifest["province"]["code"], manifest["campaign"]["year"]
    written: list[Path] = []
    try:
        with transaction.atomic():
            older = (ProvincePackage.objects.select_for_update()
                     .filter(province_code=code, year=year).first())
            if older is not None and older.created_at >= checked.created_at:
                raise PackageRefused(
                    f"已导入{older.province_name}{year}年生成于 "
                    f"{older.created_at.astimezone(checked.created_at.tzinfo):%Y-%m-%d %H:%M}"
                    " 的材料包，上传的材料包（manifest.json 的 created_at）不比它新，未导入")
            old_files = _files_of(older) if older is not None else []
            if older is not None:
                older.delete()
            package = _save(by, checked, file_name=file_name, data=data, written=written)
            record(by, "ministry.import", package, changes={
                "province": code, "year": year, "sha256": package.sha256,
                "briefs": len(checked.briefs), "figures": len(checked.figures["rows"]),
                "replaced": older.sha256 if older is not None else ""},
                message=(f"替换{package.province_name}此前导入的材料包" if older is not None
                         else f"导入{package.province_name}材料包"))
            transaction.on_commit(lambda: _remove(old_files))
    except PackageRefused as exc:
        _remove(written)
        _refuse(by, file_name, len(data), str(exc))
    except BaseException:
        _remove(written)
        raise
    return package
