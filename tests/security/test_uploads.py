"""Point 9: images by content, the decompression-bomb warning as an error, re-encoding
(nothing survives after the image data), no GPS; user file names never become paths."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigndesk.articles import photos
from campaigndesk.articles.models import Photo
from tests.articles.conftest import jpeg
from tests.articles.test_photos import GPS_IFD, with_gps_and_date
from tests.progress.builders import messy_table

pytestmark = pytest.mark.django_db

SECRET = b"<?php system($_GET['c']); ?>" * 4


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(personas, demo):
    from campaigndesk.articles import services
    from campaigndesk.units.models import Unit

    return services.create_article(personas["reporter"], campaign=demo,
                                   unit=Unit.objects.get(code="150100"), title="稿件",
                                   body="正文")


def test_pillow_decompression_warning_is_an_error(monkeypatch):
    """Between Pillow's MAX_IMAGE_PIXELS and twice that Pillow only warns; the pipeline
    turns that warning into a refusal (our own pixel cap is checked too)."""
    data = jpeg(400, 300)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # 120 000 px: a warning only
    with pytest.raises(photos.PhotoRefused, match="像素过多"):
        photos.process(data)


def test_bytes_after_the_image_end_are_gone(draft, personas, client, media):
    client.force_login(personas["reporter"])
    polyglot = with_gps_and_date() + SECRET
    response = client.post(reverse("photo_add", kwargs={"pk": draft.pk}),
                           {"image": SimpleUploadedFile("a.jpg", polyglot), "caption": ""})
    assert response.status_code == 302
    photo = Photo.objects.get(article=draft)
    for relative in (photo.relative_path, photo.thumb_relative_path):
        stored = (media / relative).read_bytes()
        assert SECRET not in stored and b"<?php" not in stored
        assert stored.endswith(b"\xff\xd9")  # ends where the JPEG ends
        image = Image.open(io.BytesIO(stored))
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info


@pytest.mark.parametrize("name", ["../../../etc/cron.d/x.jpg", "photo.php.jpg",
                                  "photo.jpg\x00.php", "..\\..\\windows\\x.jpg", "现场.JPG.exe"])
def test_photo_file_names_never_become_paths(draft, personas, client, media, name):
    client.force_login(personas["reporter"])
    client.post(reverse("photo_add", kwargs={"pk": draft.pk}),
                {"image": SimpleUploadedFile(name, jpeg()), "caption": ""})
    photo = Photo.objects.get(article=draft)
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert files == sorted([f"photos/{photo.key}.jpg", f"photos/{photo.key}.thumb.jpg"])
    assert len(photo.key) == 32 and photo.key.isalnum()
    assert "/" not in photo.original_name and "\x00" not in photo.original_name


@pytest.mark.parametrize("name", ["../../../tmp/evil.xlsx", "统计表.xlsx.php",
                                  "a.xlsx\x00.sh", "CON.xlsx"])
def test_table_file_names_never_become_paths(demo, personas, client, name):
    client.force_login(personas["reporter"])
    imports = settings.DATA_DIR / "imports"
    before = set(imports.rglob("*")) if imports.exists() else set()
    response = client.post(reverse("campaign_progress_import", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}),
                           {"file": SimpleUploadedFile(name, messy_table())})
    assert response.status_code == 200
    new = {p for p in set(imports.rglob("*")) - before if p.is_file()}
    assert len(new) == 1
    (stored,) = new
    assert stored.parent == imports / str(personas["reporter"].pk)  # the account's folder
    assert stored.suffix == ".upload" and len(stored.stem) == 32
    shown = response.context["pending"].filename
    assert "/" not in shown and "\x00" not in shown


def test_upload_refused_by_content_not_by_name(demo, personas, client):
    client.force_login(personas["reporter"])
    response = client.post(reverse("campaign_progress_import", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}),
                           {"file": SimpleUploadedFile("表.xlsx", jpeg())}, follow=True)
    assert "JPEG 图片" in response.content.decode()
