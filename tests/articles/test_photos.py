"""Uploads: recognised by content, bombs refused, location data gone, duplicates flagged."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigndesk.articles import photos, services
from campaigndesk.articles.models import Photo

from .conftest import jpeg

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def with_gps_and_date(taken="2022:03:18 10:30:00") -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif.get_ifd(0x8769)[36867] = taken  # DateTimeOriginal
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (40.0, 49.0, 12.5)
    gps[3], gps[4] = "E", (111.0, 39.0, 8.25)
    data = jpeg(exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the upload has GPS
    return data


def png_bomb(width=100_000, height=100_000) -> bytes:
    """A tiny PNG that claims 10 gigapixels: the header is all a bomb needs."""
    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def upload(client, article, data, name="photo.jpg", caption="现场"):
    return client.post(reverse("photo_add", kwargs={"pk": article.pk}),
                       {"image": SimpleUploadedFile(name, data), "caption": caption},
                       follow=True)


def test_renamed_non_image_is_refused(draft, personas, as_user):
    client = as_user(personas["reporter"])
    before = draft.photos.count()
    response = upload(client, draft, b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 50, name="现场.jpg")
    assert "不是可识别的照片" in response.content.decode()
    assert draft.photos.count() == before
    with pytest.raises(photos.PhotoRefused):
        photos.process(b"GIF89a" + b"\x00" * 100)


def test_image_whose_content_disagrees_with_its_magic_is_refused():
    with pytest.raises(photos.PhotoRefused):
        photos.process(b"\xff\xd8\xff" + b"not really a jpeg" * 20)


@pytest.mark.parametrize("size", [(100_000, 100_000), (9_000, 6_000)])
def test_decompression_bomb_is_refused_before_decoding(size):
    with pytest.raises(photos.PhotoRefused, match="像素过多"):
        photos.process(png_bomb(*size))


def test_bomb_upload_through_the_page(draft, personas, as_user):
    response = upload(as_user(personas["reporter"]), draft, png_bomb(), name="a.png")
    assert "像素过多" in response.content.decode()


def test_over_20_mb_is_refused():
    with pytest.raises(photos.PhotoRefused, match="过大"):
        photos.process(b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024))


def test_gps_is_gone_from_every_stored_copy_and_date_is_kept(draft, personas, media):
    photo = services.add_photo(personas["reporter"], draft, with_gps_and_date())
    assert photo.taken_at is not None and photo.taken_at.date().isoformat() == "2022-03-18"
    for relative in (photo.relative_path, photo.thumb_relative_path):
        data = (media / relative).read_bytes()
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG"
        assert not stored.getexif().get_ifd(GPS_IFD)
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info and "xmp" not in stored.info
        assert b"Exif" not in data and b"Apple" not in data
    # The stored file is named by a random key, not the upload's name.
    assert photo.key in photo.relative_path and len(photo.key) == 32


def test_exif_date_outside_the_campaign_is_shown_to_the_reviewer(draft, personas, as_user):
    services.add_photo(personas["reporter"], draft, with_gps_and_date("2021:05:01 09:00:00"))
    services.submit_article(personas["reporter"], draft)
    page = as_user(personas["reviewer"]).get(reverse("article_detail", kwargs={"pk": draft.pk}))
    assert "拍摄日期 2021-05-01 不在宣传活动日期（2022-03-17 至 2022-03-31）之内" in \
        page.content.decode()


def test_small_photo_warns(draft, personas):
    photo = services.add_photo(personas["reporter"], draft, jpeg(640, 480))
    assert any("少于 800 像素" in w for w in photo.warnings)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_png_webp_heic_are_stored_as_jpeg(draft, personas, media, fmt):
    image = Image.new("RGBA", (1000, 700), (30, 120, 200, 255))
    image.paste((250, 250, 0, 128), (100, 100, 400, 400))
    out = io.BytesIO()
    image.convert("RGB" if fmt == "HEIF" else "RGBA").save(out, format=fmt)
    photo = services.add_photo(personas["reporter"], draft, out.getvalue())
    assert photo.source_format == {"PNG": "png", "WEBP": "webp", "HEIF": "heic"}[fmt]
    stored = Image.open(media / photo.relative_path)
    assert stored.format == "JPEG" and stored.size == (1000, 700)


def test_near_duplicate_in_another_units_brief_is_flagged_with_a_link(draft, personas, demo,
                                                                       as_user):
    other = services.create_article(personas["other_reporter"], campaign=demo,
                                    unit=personas["other_reporter"].unit, title="包头稿件")
    original = jpeg(shapes=3, color=(10, 200, 90))
    services.add_photo(personas["other_reporter"], other, original)
    # The same scene, re-saved smaller and at another quality: nearly the same hash.
    resized = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((900, 600)).save(resized, "JPEG", quality=60)
    copy = services.add_photo(personas["reporter"], draft, resized.getvalue())
    found = photos.near_duplicates(copy)
    assert [p.article_id for p, _ in found] == [other.pk]
    services.submit_article(personas["reporter"], draft)
    page = as_user(personas["reviewer"]).get(reverse("article_detail", kwargs={"pk": draft.pk}))
    html = page.content.decode()
    assert "与其他稿件照片相似" in html
    assert reverse("article_detail", kwargs={"pk": other.pk}) in html
    # The reporter is told, but is not given a link into another unit's brief.
    mine = as_user(personas["reporter"]).get(reverse("article_detail", kwargs={"pk": draft.pk}))
    assert reverse("article_detail", kwargs={"pk": other.pk}) not in mine.content.decode()


def test_different_photos_are_not_flagged(draft):
    assert photos.near_duplicates(draft.photos.first()) == []


def test_another_units_photo_is_404(draft, personas, as_user):
    photo = draft.photos.first()
    client = as_user(personas["other_reporter"])
    for size in ("full", "thumb"):
        url = reverse("photo_file", kwargs={"pk": photo.pk, "size": size})
        assert client.get(url).status_code == 404
    response = as_user(personas["reporter"]).get(
        reverse("photo_file", kwargs={"pk": photo.pk, "size": "thumb"}))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_deleting_a_photo_removes_its_files(draft, personas, media,
                                            django_capture_on_commit_callbacks):
    photo = draft.photos.first()
    path = media / photo.relative_path
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(personas["reporter"], photo)
    assert not path.exists() and not Photo.objects.filter(pk=photo.pk).exists()
