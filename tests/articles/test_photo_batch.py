"""Several photos in one post (issue 13 point 4): the gallery choice sends many files and the
camera choice one more, all under "image"; each is checked by content and size as a single
upload is, and every refusal names its file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigndesk.articles import photos, services
from campaigndesk.articles.models import Photo

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def post(client, article, files, caption="社工入户探访"):
    return client.post(reverse("photo_add", kwargs={"pk": article.pk}),
                       {"image": [SimpleUploadedFile(name, data) for name, data in files],
                        "caption": caption}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_several_photos_in_one_post_are_each_stored_with_the_caption(draft, personas, as_user):
    before = draft.photos.count()
    response = post(as_user(personas["reporter"]), draft, [
        ("IMG_0101.jpg", jpeg(shapes=41)), ("IMG_0102.jpg", jpeg(shapes=53)),
        ("相机.jpg", jpeg(shapes=67))])
    added = Photo.objects.filter(article=draft).order_by("position")[before:]
    assert [p.original_name for p in added] == ["IMG_0101.jpg", "IMG_0102.jpg", "相机.jpg"]
    assert {p.caption for p in added} == {"社工入户探访"}
    assert "照片已上传（3 张）" in messages_of(response)


def test_a_bad_file_among_good_ones_is_refused_by_name_and_costs_only_itself(
        draft, personas, as_user):
    before = draft.photos.count()
    response = post(as_user(personas["reporter"]), draft, [
        ("现场1.jpg", jpeg(shapes=71)),
        ("通知.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 50),
        ("现场2.jpg", jpeg(shapes=83))])
    assert draft.photos.count() == before + 2
    shown = messages_of(response)
    assert any(m.startswith("照片“通知.jpg”未保存：不是可识别的照片") for m in shown), shown
    assert "照片已上传（2 张）" in shown


def test_an_oversized_file_is_refused_by_name_before_it_is_read(draft, personas, as_user):
    huge = b"\xff\xd8\xff" + b"\x00" * photos.MAX_BYTES
    response = post(as_user(personas["reporter"]), draft,
                    [("大图.jpg", huge), ("小图.jpg", jpeg(shapes=91))])
    shown = messages_of(response)
    assert any(m.startswith("照片“大图.jpg”未保存：照片过大") for m in shown), shown
    assert "照片已上传" in shown  # the small one, alone: no count


def test_files_past_the_limit_per_brief_are_refused_by_name(draft, personas, as_user,
                                                            monkeypatch):
    monkeypatch.setattr(services, "MAX_PHOTOS", draft.photos.count() + 1)
    response = post(as_user(personas["reporter"]), draft,
                    [("第一张.jpg", jpeg(shapes=13)), ("第二张.jpg", jpeg(shapes=29))])
    assert list(draft.photos.values_list("original_name", flat=True))[-1] == "第一张.jpg"
    shown = messages_of(response)
    assert any(m.startswith("照片“第二张.jpg”未保存：每篇稿件最多") for m in shown), shown


def test_a_post_without_a_file_says_so(draft, personas, as_user):
    response = post(as_user(personas["reporter"]), draft, [])
    assert "请选择照片文件" in messages_of(response)


def test_a_brief_in_review_takes_no_photo_and_says_it_once(draft, personas, as_user):
    services.submit_article(personas["reporter"], draft)
    before = draft.photos.count()
    response = post(as_user(personas["reporter"]), draft,
                    [("a.jpg", jpeg(shapes=3)), ("b.jpg", jpeg(shapes=5))])
    refusals = [m for m in messages_of(response) if "未保存" in m]
    assert len(refusals) == 1 and refusals[0].startswith("照片未保存："), refusals
    assert draft.photos.count() == before


def test_the_edit_page_offers_the_camera_and_several_files(draft, personas, as_user):
    html = as_user(personas["reporter"]).get(
        reverse("article_edit", kwargs={"pk": draft.pk})).content.decode()
    assert ('<input type="file" name="image" id="id_image" accept="image/*" multiple>'
            in html)
    assert ('<input type="file" name="image" id="id_camera" accept="image/*" '
            'capture="environment">' in html)
