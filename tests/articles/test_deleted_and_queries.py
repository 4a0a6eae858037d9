"""A deleted brief's photos are gone with it; photo and export pages read in a fixed number
of queries."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from campaigndesk.articles import photos, services
from campaigndesk.articles.models import Article

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def _photo_urls(photo):
    return [reverse("photo_file", kwargs={"pk": photo.pk, "size": size})
            for size in ("full", "thumb")]


def test_a_deleted_briefs_photos_are_404(submitted, personas, as_user):
    photo = submitted.photos.first()
    for persona in ("reporter", "reviewer"):
        client = as_user(personas[persona])
        assert all(client.get(url).status_code == 200 for url in _photo_urls(photo))
    services.delete_article(personas["reporter"], Article.objects.get(pk=submitted.pk),
                            reason="重复")
    for persona in ("reporter", "reviewer"):
        client = as_user(personas[persona])
        assert [client.get(url).status_code for url in _photo_urls(photo)] == [404, 404]
    edit = reverse("photo_edit", kwargs={"pk": photo.pk})
    assert as_user(personas["reporter"]).post(edit, {"caption": "x"}).status_code == 404


def test_region_admin_still_restores_and_the_photos_come_back(submitted, personas, as_user):
    photo = submitted.photos.first()
    services.delete_article(personas["reporter"], Article.objects.get(pk=submitted.pk),
                            reason="误删")
    admin = as_user(personas["region_admin"])
    assert submitted.title in admin.get(reverse("deleted_articles")).content.decode()
    admin.post(reverse("article_restore", kwargs={"pk": submitted.pk}))
    reporter = as_user(personas["reporter"])
    assert all(reporter.get(url).status_code == 200 for url in _photo_urls(photo))


def _copy_of(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).resize((900, 600)).save(out, "JPEG", quality=60)
    return out.getvalue()


def test_near_duplicates_for_a_brief_agrees_with_one_by_one(draft, personas, demo,
                                                             django_assert_num_queries):
    other = services.create_article(personas["other_reporter"], campaign=demo,
                                    unit=personas["other_reporter"].unit, title="包头稿件")
    originals = [jpeg(shapes=n, color=(10, 200, 90)) for n in (3, 40)]
    for data in originals:
        services.add_photo(personas["other_reporter"], other, data)
        services.add_photo(personas["other_reporter"], other, _copy_of(data))
    for data in originals:
        services.add_photo(personas["reporter"], draft, _copy_of(data))
    mine = list(draft.photos.all())
    with django_assert_num_queries(2):
        together = photos.near_duplicates_for(mine)
    assert any(together.values())
    for photo in mine:
        assert together[photo.pk] == photos.near_duplicates(photo)
        assert together[photo.pk][:1] == photos.near_duplicates(photo, limit=1)
        assert all(p.article_id != photo.article_id for p, _ in together[photo.pk])
    assert photos.near_duplicates_for([]) == {}
