"""The region exports, the ministry imports: the figures agree, per figure and per
province, and the briefs and photos arrive byte for byte."""

import hashlib
import io
import json
import zipfile

from django.urls import reverse

from campaigndesk.articles.models import Article
from campaigndesk.articles.photos import media_path
from campaigndesk.ministry import package_format as fmt
from campaigndesk.ministry.models import ProvinceFigure, ProvincePackage
from campaigndesk.progress.reported import campaign_figures, reported
from tests.test_reported_figures import TOTAL


def _upload(client, data: bytes, name: str = "内蒙古.zip"):
    return client.post(reverse("ministry_import"),
                       {"package": _file(data, name)}, follow=True)


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, "application/zip")


def test_the_package_follows_its_schemas(package_bytes, year):
    archive = zipfile.ZipFile(io.BytesIO(package_bytes))
    manifest = json.loads(archive.read(fmt.MANIFEST))
    assert fmt.problem(1, fmt.MANIFEST, manifest) is None
    assert manifest["province"] == {"code": "150000", "name": "内蒙古自治区"}
    assert manifest["format"] == fmt.FORMAT_NAME and manifest["format_version"] == 1
    for name in fmt.JSON_FILES:
        assert fmt.problem(1, name, json.loads(archive.read(name))) is None, name
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {fmt.MANIFEST}
    for name, item in listed.items():
        data = archive.read(name)
        assert (len(data), hashlib.sha256(data).hexdigest()) == (item["size"], item["sha256"])


def test_round_trip_figures_agree_and_briefs_arrive_intact(package_bytes, year, as_user,
                                                          ministry_user):
    client = as_user(ministry_user)
    page = _upload(client, package_bytes)
    assert page.status_code == 200
    assert "已导入内蒙古自治区的材料包" in page.content.decode()
    package = ProvincePackage.objects.get()
    # Per figure: the province's totals are the region's, the draft and the reopened
    # correction left out (TOTAL of tests/test_reported_figures).
    units, totals = campaign_figures(year)
    n, p, b, f = TOTAL
    assert (package.activities, package.participants, package.beneficiaries,
            package.funds_fen) == (n, p, b, f) == (totals.activities, totals.participants,
                                                   totals.beneficiaries, totals.funds_fen)
    assert package.reporting_units == units == 3
    # Per unit and round: the ministry's rows are the region's submitted rows.
    region_rows = {}
    for activity in reported(year).select_related("unit", "deadline"):
        key = (activity.unit.code, activity.deadline.title)
        region_rows[key] = region_rows.get(key, 0) + activity.participants
    ministry_rows = {(f.unit_code, f.round_title): f.participants
                     for f in ProvinceFigure.objects.filter(package=package)}
    assert ministry_rows == region_rows
    # Briefs and photos, byte for byte.
    article = Article.objects.get(recommended_at__isnull=False)
    brief = package.briefs.get()
    assert (brief.title, brief.body, brief.unit_name) == (article.title, article.body,
                                                          article.unit.name)
    region_photos = [media_path(p.relative_path).read_bytes() for p in article.photos.all()]
    ministry_photos = [p.path.read_bytes() for p in brief.photos.all()]
    assert ministry_photos == region_photos and len(ministry_photos) == 2
    assert [p.caption for p in brief.photos.all()] == ["现场1", "现场2"]
    # The national page shows the province, its totals and the brief with its photos.
    national = client.get(reverse("ministry_national")).content.decode()
    assert "内蒙古自治区" in national and article.title in national
    assert f">{p}<" in national.replace(",", "")
    photo = brief.photos.first()
    assert client.get(reverse("ministry_photo", kwargs={"pk": photo.pk, "size": "thumb"})
                      ).status_code == 200
    full = client.get(reverse("ministry_photo", kwargs={"pk": photo.pk, "size": "full"}))
    assert b"".join(full.streaming_content) == region_photos[0]
    summary = client.get(reverse("ministry_summary", kwargs={"pk": package.pk}))
    assert summary.status_code == 200
