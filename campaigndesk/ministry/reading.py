"""Reading a province's package before anything is saved: every check, in memory.

A package is refused as a whole, with one Chinese sentence naming the file (and the field)
at fault: not a .zip, too large once inflated (a zip bomb is seen in the directory, before
any byte is inflated, and again while reading), a name that leaves the package (path
traversal: absolute, '..', backslashes, drive letters) or appears twice, no or a wrong
manifest, an unknown format version, a file listed but missing or present but not listed,
a checksum or size that does not match, a JSON file that does not follow its schema, totals
that are not the sum of their rows, a photo that is not a decodable JPEG. Nothing is written
here; services.import_package saves what `read_package` returns.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.conf import settings

from campaigndesk.articles import photos as photo_checks

from . import package_format as fmt

MAX_ENTRIES = 2000
# An entry inflating more than this many times its stored size is a zip bomb (text and
# Word files compress 5-20 times, JPEGs not at all).
MAX_RATIO = 200
JSON_MAX_BYTES = 50 * 1024 * 1024
SUMMARY_SUFFIXES = {".docx", ".doc", ".pdf"}


class PackageRefused(Exception):
    """The package cannot be imported; str() is the sentence for the user."""


@dataclass
class Photo:
    path: str
    caption: str
    data: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str


@dataclass
class Brief:
    number: int
    content: dict
    recommended_at: datetime
    photos: list[Photo] = field(default_factory=list)


@dataclass
class Package:
    manifest: dict
    figures: dict
    summary: dict
    briefs: list[Brief]
    created_at: datetime
    start_date: date
    end_date: date
    summary_name: str = ""
    summary_data: bytes = b""


def _safe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    if len(name) > 1 and name[1] == ":":  # C:…
        return False
    parts = name.split("/")
    return all(part not in {"", ".", ".."} for part in parts) and \
        posixpath.normpath(name) == name


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageRefused("上传的文件不是 .zip 材料包（无法作为 zip 打开）") from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise PackageRefused(f"材料包内文件过多（{len(entries)} 个，上限 {MAX_ENTRIES} 个）")
    seen, total = set(), 0
    for entry in entries:
        if entry.is_dir():
            continue
        if not _safe_name(entry.filename):
            raise PackageRefused(f"材料包内的文件名“{entry.filename}”指向包外或不合规"
                                 "（绝对路径、“..”或反斜杠），已拒收")
        if entry.filename in seen:
            raise PackageRefused(f"材料包内的文件“{entry.filename}”出现了两次")
        seen.add(entry.filename)
        if entry.flag_bits & 0x1:
            raise PackageRefused(f"材料包内的文件“{entry.filename}”已加密，无法读取")
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and \
                entry.file_size > 1024 * 1024:
            raise PackageRefused(f"材料包内的文件“{entry.filename}”压缩比异常"
                                 f"（{entry.compress_size} 字节解压为 {entry.file_size} 字节），"
                                 "疑似压缩炸弹，已拒收")
        total += entry.file_size
    limit = settings.MINISTRY_PACKAGE_MAX_BYTES
    if total > limit:
        raise PackageRefused(f"材料包解压后共 {total // 1024 // 1024} MB，超过上限 "
                             f"{limit // 1024 // 1024} MB")
    return archive


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The entry's bytes, never more than its directory says (nor than `limit`): a header
    that lies about the size is caught while reading, not after inflating everything."""
    entry = archive.getinfo(name)
    if entry.file_size > limit:
        raise PackageRefused(f"材料包内的文件“{name}”过大（{entry.file_size} 字节）")
    try:
        with archive.open(entry) as stream:
            data = stream.read(entry.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise PackageRefused(f"材料包内的文件“{name}”已损坏，无法解压") from None
    if len(data) != entry.file_size:
        raise PackageRefused(f"材料包内的文件“{name}”的实际大小与目录不符，已拒收")
    return data


def _json(archive: zipfile.ZipFile, name: str) -> object:
    try:
        return json.loads(_read(archive, name, JSON_MAX_BYTES).decode("utf-8"))
    except UnicodeDecodeError:
        raise PackageRefused(f"{name} 不是 UTF-8 编码的文字") from None
    except json.JSONDecodeError as exc:
        raise PackageRefused(f"{name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）"
                             ) from None


def _moment(file_name: str, where: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise PackageRefused(f"{file_name} 的 {where}：应为带时区的日期时间"
                             "（如 2022-03-17T09:00:00+08:00）")
    return moment


def _schema(version: int, name: str, data: object) -> None:
    message = fmt.problem(version, name, data)
    if message:
        raise PackageRefused(message)


def read_manifest(archive: zipfile.ZipFile) -> dict:
    names = set(archive.namelist())
    if fmt.MANIFEST not in names:
        raise PackageRefused("材料包内没有 manifest.json（清单文件），不是推荐至民政部材料包")
    manifest = _json(archive, fmt.MANIFEST)
    if not isinstance(manifest, dict):
        raise PackageRefused("manifest.json 的 整个文件：应为对象")
    if manifest.get("format") != fmt.FORMAT_NAME:
        raise PackageRefused(f"manifest.json 的 format 为“{manifest.get('format')}”，"
                             f"不是“{fmt.FORMAT_NAME}”，不是本格式的材料包")
    version = manifest.get("format_version")
    if version not in fmt.READABLE_VERSIONS or isinstance(version, bool):
        readable = "、".join(f"第 {v} 版" for v in sorted(fmt.READABLE_VERSIONS))
        raise PackageRefused(f"manifest.json 的 format_version 为 {version!r}，本系统只能读取"
                             f"{readable}；请升级本系统，或请省厅按{readable}重新导出")
    _schema(version, fmt.MANIFEST, manifest)
    return manifest


def _check_files(archive: zipfile.ZipFile, manifest: dict) -> dict[str, bytes]:
    """Every listed file present, with its size and SHA-256; nothing unlisted."""
    listed = {item["path"]: item for item in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        raise PackageRefused("manifest.json 的 files：同一文件列了两次")
    present = {e.filename for e in archive.infolist() if not e.is_dir()} - {fmt.MANIFEST}
    missing, unlisted = sorted(set(listed) - present), sorted(present - set(listed))
    if missing:
        raise PackageRefused(f"manifest.json 列出的文件“{missing[0]}”不在材料包内")
    if unlisted:
        raise PackageRefused(f"材料包内的文件“{unlisted[0]}”不在 manifest.json 的清单中")
    for name in fmt.JSON_FILES:
        if name not in listed:
            raise PackageRefused(f"材料包内没有 {name}")
    contents = {}
    for name, item in listed.items():
        data = _read(archive, name, settings.MINISTRY_PACKAGE_MAX_BYTES)
        if len(data) != item["size"]:
            raise PackageRefused(f"文件“{name}”的大小为 {len(data)} 字节，与 manifest.json 所列 "
                                 f"{item['size']} 字节不符，材料包可能不完整")
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise PackageRefused(f"文件“{name}”的 SHA-256 校验值与 manifest.json 不符，"
                                 "材料包可能已损坏或被改动")
        contents[name] = data
    return contents


def _check_figures(figures: dict) -> None:
    rounds = {r["number"] for r in figures["rounds"]}
    units = {u["code"] for u in figures["units"]}
    sums = dict.fromkeys(figures["totals"], 0)
    for index, row in enumerate(figures["rows"]):
        if row["unit"] not in units:
            raise PackageRefused(f"figures.json 的 rows[{index}].unit：单位“{row['unit']}”"
                                 "不在 units 中")
        if row["round"] not in rounds:
            raise PackageRefused(f"figures.json 的 rows[{index}].round：轮次 {row['round']} "
                                 "不在 rounds 中")
        for name in sums:
            sums[name] += row[name]
    for name, value in sums.items():
        if figures["totals"][name] != value:
            raise PackageRefused(f"figures.json 的 totals.{name}：合计 {figures['totals'][name]} "
                                 f"与各行之和 {value} 不符")


def _photo(path: str, caption: str, data: bytes) -> Photo:
    if photo_checks.sniff(data[:32]) != "jpeg":
        raise PackageRefused(f"照片“{path}”不是 JPEG 图片")
    try:
        processed = photo_checks.process(data)
    except photo_checks.PhotoRefused as exc:
        raise PackageRefused(f"照片“{path}”：{exc}") from None
    return Photo(path=path, caption=caption, data=data, thumb=processed.thumb,
                 width=processed.width, height=processed.height,
                 sha256=hashlib.sha256(data).hexdigest())


def _briefs(content: dict, files: dict[str, bytes]) -> list[Brief]:
    briefs = []
    for index, item in enumerate(content["briefs"]):
        where = f"briefs[{index}]"
        if item.get("document") and item["document"] not in files:
            raise PackageRefused(f"briefs.json 的 {where}.document：文件“{item['document']}”"
                                 "不在材料包内")
        brief = Brief(number=item["number"], content=item,
                      recommended_at=_moment(fmt.BRIEFS, f"{where}.recommended_at",
                                             item["recommended_at"]))
        for n, photo in enumerate(item["photos"]):
            if photo["path"] not in files:
                raise PackageRefused(f"briefs.json 的 {where}.photos[{n}].path：文件"
                                     f"“{photo['path']}”不在材料包内")
            brief.photos.append(_photo(photo["path"], photo.get("caption", ""),
                                       files[photo["path"]]))
        briefs.append(brief)
    return briefs


def read_package(data: bytes) -> Package:
    archive = _open(data)
    manifest = read_manifest(archive)
    version = manifest["format_version"]
    created_at = _moment(fmt.MANIFEST, "created_at", manifest["created_at"])
    try:
        start = date.fromisoformat(manifest["campaign"]["start_date"])
        end = date.fromisoformat(manifest["campaign"]["end_date"])
    except ValueError:
        raise PackageRefused("manifest.json 的 campaign.start_date/end_date：应为日期") from None
    files = _check_files(archive, manifest)
    parsed = {}
    for name in fmt.JSON_FILES:
        parsed[name] = _json(archive, name)
        _schema(version, name, parsed[name])
    _check_figures(parsed[fmt.FIGURES])
    package = Package(manifest=manifest, figures=parsed[fmt.FIGURES],
                      summary=parsed[fmt.SUMMARY], briefs=_briefs(parsed[fmt.BRIEFS], files),
                      created_at=created_at, start_date=start, end_date=end)
    document = parsed[fmt.SUMMARY]["document"]
    if document:
        if document["path"] not in files:
            raise PackageRefused(f"summary.json 的 document.path：文件“{document['path']}”"
                                 "不在材料包内")
        if posixpath.splitext(document["path"])[1].lower() not in SUMMARY_SUFFIXES:
            raise PackageRefused(f"summary.json 的 document.path：“{document['path']}”"
                                 "应为 .docx、.doc 或 .pdf 文件")
        package.summary_name, package.summary_data = document["path"], files[document["path"]]
    return package
