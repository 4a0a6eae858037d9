"""A package is checked by content and size before anything is saved; a refusal names the
file or field in Chinese, is audited, and leaves nothing behind (no rows, no files)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.ministry import package_format as fmt
from campaigndesk.ministry.models import ProvincePackage

from . import repack
from .test_roundtrip import _file


def _photo_name(files):
    return next(name for name in files if name.endswith(".jpg"))


def _flipped(data: bytes) -> bytes:
    """One byte in the middle changed: what a bad copy or a tampering does."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("figures.json", b"0" * (60 * 1024 * 1024))
    return out.getvalue()


CASES = {
    "not_a_zip": (lambda files: b"PK\x03\x04 not really a zip",
                  "不是 .zip 材料包"),
    "no_manifest": (lambda files: repack.build({k: v for k, v in files.items()
                                                if k != fmt.MANIFEST}),
                    "没有 manifest.json"),
    "wrong_format": (lambda files: repack.build(repack.relisted(files, format="other")),
                     "manifest.json 的 format"),
    "unknown_version": (lambda files: repack.build(repack.relisted(files, format_version=2)),
                        "manifest.json 的 format_version 为 2，本系统只能读取第 1 版"),
    "bad_province_code": (lambda files: repack.build(repack.relisted(
        files, province={"code": "15", "name": "内蒙古自治区"})),
        "manifest.json 的 province.code：格式不对"),
    "missing_field": (lambda files: repack.build(repack.with_manifest(files, {
        k: v for k, v in repack.manifest_of(files).items() if k != "created_at"})),
        "manifest.json 的 整个文件：缺少字段“created_at”"),
    "checksum": (lambda files: repack.build({**files, _photo_name(files):
                                             _flipped(files[_photo_name(files)])}),
                 "的 SHA-256 校验值与 manifest.json 不符"),
    "unlisted_file": (lambda files: repack.build({**files, "extra.txt": b"x"}),
                      "“extra.txt”不在 manifest.json 的清单中"),
    "listed_missing": (lambda files: repack.build({k: v for k, v in files.items()
                                                  if k != fmt.SUMMARY}),
                       "manifest.json 列出的文件“summary.json”不在材料包内"),
    "path_traversal": (lambda files: repack.build({**files, "../../etc/cron.d/x": b"x"}),
                       "“../../etc/cron.d/x”指向包外"),
    "absolute_path": (lambda files: repack.build({**files, "/tmp/x.jpg": b"x"}),
                      "“/tmp/x.jpg”指向包外"),
    "zip_bomb": (lambda files: _bomb(), "疑似压缩炸弹"),
    "totals": (lambda files: repack.build(repack.edited_json(
        files, fmt.FIGURES, lambda f: f["totals"].update(participants=1))),
        "figures.json 的 totals.participants：合计 1 与各行之和"),
    "schema_in_figures": (lambda files: repack.build(repack.edited_json(
        files, fmt.FIGURES, lambda f: f["rows"][0].update(funds_fen="1.5"))),
        "figures.json 的 rows[0].funds_fen：应为整数"),
    "not_jpeg": (lambda files: repack.build(repack.relisted(
        {**files, _photo_name(files): _png()})), "不是 JPEG 图片"),
    "broken_json": (lambda files: repack.build(repack.relisted(
        {**files, fmt.BRIEFS: b"{\"briefs\": ["})), "briefs.json 不是有效的 JSON"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_package_is_refused_naming_what_is_wrong(case, package_bytes, ministry_user,
                                                       as_user, settings):
    make, message = CASES[case]
    data = make(repack.entries(package_bytes))
    client = as_user(ministry_user)
    response = client.post(reverse("ministry_import"), {"package": _file(data, "坏包.zip")})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, (case, page[page.find("error-summary"):][:400])
    assert "未导入" in page and "没有保存其中任何内容" in page
    assert not ProvincePackage.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "ministry"
    assert not folder.exists() or not any(folder.iterdir())
    refusal = AuditEntry.objects.filter(action="ministry.refused").get()
    assert message in refusal.message and refusal.changes["file"] == "坏包.zip"


def test_the_good_package_itself_is_taken(package_bytes, ministry_user, as_user):
    """The control: repacked unchanged, the same files are imported."""
    data = repack.build(repack.relisted(repack.entries(package_bytes)))
    client = as_user(ministry_user)
    response = client.post(reverse("ministry_import"), {"package": _file(data, "好包.zip")})
    assert response.status_code == 302
    assert ProvincePackage.objects.count() == 1


def test_no_file_chosen_says_so(ministry_user, as_user):
    response = as_user(ministry_user).post(reverse("ministry_import"), {})
    assert "请选择要导入的省级材料包" in response.content.decode()
