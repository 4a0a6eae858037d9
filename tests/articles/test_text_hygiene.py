"""Text no brief should hold (outside test 14): control characters refused naming the
field, invisible characters removed and counted, exports that survive what is already
stored, a body bound the live check states, an empty .docx named as such."""

import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.limits import BODY_MAX_CHARS
from campaigndesk.articles.models import Article
from campaigndesk.proofing.text import count_chars
from tests.jobs.helpers import download

from .conftest import BODY, TITLE
from .test_docx_and_outputs import _typical_and_recommended

pytestmark = pytest.mark.django_db


def _new(client, demo, **fields):
    url = reverse("campaign_article_create", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    return client.post(url, {"title": TITLE, "body": BODY, **fields}, follow=True)


@pytest.mark.parametrize(("field", "value", "label", "code"), [
    ("title", "控制字符\x07\x1b标题", "标题", "U+0007"),
    ("body", BODY + "\x1b[31m", "正文", "U+001B"),
    ("place_text", "赛罕区\x85社工站", "地点", "U+0085"),
    # A NUL was refused before the view with a page naming no field, the text lost.
    ("title", "空字符\x00标题", "标题", "U+0000"),
])
def test_control_characters_are_refused_naming_the_field_text_kept(
        demo, personas, as_user, field, value, label, code):
    response = _new(as_user(personas["reporter"]), demo, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"“{label}”第 " in html and code in html
    # What was typed is shown again without the refused characters, and said so: a NUL
    # written back came back from the browser as U+FFFD and was then saved.
    clean = value.translate({c: None for c in (0, 7, 0x1b, 0x85)})
    shown = (f'value="{clean}"' if field != "body" else clean[-40:])
    assert shown in html and "已从该栏删除，请核对后再保存" in html
    assert not any(c in html for c in "\x00\x07\x1b\x85")
    assert not Article.objects.exists()


def test_invisible_characters_are_removed_once_said_and_emoji_and_mongolian_kept(
        demo, personas, as_user):
    title = "\u202e动活展开\u202c网\u200b格员👨\u200d👩\u200d👧"
    body = BODY + "\n核\u200b算检测\u00ad，\ufeff蒙古文ᠮᠣᠩ\u200dᠭᠣᠯ。"
    response = _new(as_user(personas["reporter"]), demo, title=title, body=body)
    article = Article.objects.get()
    assert article.title == "动活展开网格员👨\u200d👩\u200d👧"
    assert "核算检测，蒙古文ᠮᠣᠩ\u200dᠭᠣᠯ。" in article.body
    assert response.content.decode().count("已删除6个不可见字符") == 1


def test_exports_survive_control_characters_already_stored(accepted, personas, as_user,
                                                           demo):
    _typical_and_recommended(accepted, personas["reviewer"])
    # Stored before the forms refused them.
    Article.objects.filter(pk=accepted.pk).update(title="控制字符\x07\x1b标题",
                                                  body=BODY + "\x08\x0b\x0c")
    client = as_user(personas["reviewer"])
    package = download(client, reverse("campaign_ministry", kwargs={"pk": demo.pk}))
    archive = zipfile.ZipFile(io.BytesIO(package))
    cover = docx.Document(io.BytesIO(archive.read("00-推荐稿件报送单.docx")))
    assert "控制字符标题" in [c.text for row in cover.tables[0].rows for c in row.cells]
    listing = client.get(reverse("campaign_articles_xlsx", kwargs={"pk": demo.pk}))
    assert listing.status_code == 200
    data = b"".join(listing.streaming_content) if listing.streaming else listing.content
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(
        values_only=True) for c in row if isinstance(c, str)]
    assert "控制字符标题" in cells and not any("_x00" in c for c in cells)
    magazine = client.get(reverse("campaign_magazine", kwargs={"pk": demo.pk}))
    assert magazine.status_code == 200


def test_body_over_the_bound_is_refused_with_its_count_text_kept(demo, personas, as_user):
    long_body = ("社" * 99 + "\n") * (BODY_MAX_CHARS // 99 + 2)
    response = _new(as_user(personas["reporter"]), demo, body=long_body)
    html = response.content.decode()
    count = len(long_body.replace("\n", ""))
    assert f"“正文”共 {count:,} 字，超过 10,000 字的上限" in html
    assert "社" * 99 in html and not Article.objects.exists()


def test_live_check_says_it_did_not_check_all(draft, personas, as_user):
    body = "\n".join([BODY] * 30)
    response = as_user(personas["reporter"]).post(
        reverse("article_check", kwargs={"pk": draft.pk}), {"title": TITLE, "body": body},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    counted = count_chars(body)  # all of it, not the part checked
    assert f"正文 {counted} 字" in html
    assert "只检查了前 10,000 字" in html and f"其后的 {counted - 10_000:,} 字没有检查" in html


def test_a_mailed_or_imported_body_over_the_bound_is_refused_by_the_service(demo, personas):
    with pytest.raises(services.TransitionRefused, match="超过 10,000 字的上限"):
        services.create_article(personas["reporter"], campaign=demo,
                                unit=personas["reporter"].unit, title=TITLE,
                                body="字" * (BODY_MAX_CHARS + 1))


def test_an_empty_docx_is_named_as_empty(demo, personas, as_user):
    response = as_user(personas["reporter"]).post(
        reverse("campaign_article_import", kwargs={"campaign_pk": demo.pk, "code": "150100"}),
        {"file": SimpleUploadedFile("空白简讯.docx", b"")}, follow=True)
    html = response.content.decode()
    assert "“空白简讯.docx”是空文件（0 字节）" in html
    assert "请选择要导入的 Word 文档" not in html
