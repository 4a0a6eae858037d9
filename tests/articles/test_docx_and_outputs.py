"""Word import, WeChat HTML, the magazine .docx and the ministry .zip."""

import io
import re
import zipfile
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from campaigndesk.articles import docx_import, outputs, services
from campaigndesk.articles.models import Article, Channel
from campaigndesk.jobs.models import Job
from tests.jobs.helpers import finish_jobs

from .conftest import BODY, TITLE, jpeg

pytestmark = pytest.mark.django_db


def brief_docx(pictures=2, title=TITLE) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    paragraphs = BODY.split("\n")
    document.add_paragraph(paragraphs[0])
    for n in range(pictures):
        document.add_paragraph().add_run().add_picture(
            io.BytesIO(jpeg(shapes=40 + n * 11, color=(40, 90 + n * 60, 160))), width=Cm(12))
        caption = document.add_paragraph(f"图{n + 1} 活动现场")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_gives_title_body_and_photos_with_captions():
    title, body, pictures = docx_import.read(brief_docx())
    assert title == TITLE
    assert body == BODY
    assert [caption for _, caption in pictures] == ["图1 活动现场", "图2 活动现场"]


NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def _append_xml(paragraph, xml: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(f"<w:r {NS}>{xml}</w:r>"))


def _docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_laid_out_as_a_form_table():
    # 标题 | …, 报送单位 | …, 正文 | …, 图片 | … as some units send a brief.
    document = docx.Document()
    table = document.add_table(rows=5, cols=2)
    paragraphs = BODY.split("\n")
    values = [("标题：", TITLE), ("报送单位", "呼和浩特市民政局"), ("联系电话", "0471-1234567"),
              ("正  文", paragraphs[0])]
    for row, (label, value) in zip(table.rows, values, strict=False):
        row.cells[0].text, row.cells[1].text = label, value
    for paragraph in paragraphs[1:]:
        table.rows[3].cells[1].add_paragraph(paragraph)
    table.rows[4].cells[0].text = "图片"
    table.rows[4].cells[1].paragraphs[0].add_run().add_picture(io.BytesIO(jpeg()), width=Cm(8))
    table.rows[4].cells[1].add_paragraph("图1 活动现场")
    title, body, pictures = docx_import.read(_docx_bytes(document))
    assert title == TITLE
    assert body == BODY  # neither labels nor 报送单位 / 联系电话 in the text
    assert [caption for _, caption in pictures] == ["图1 活动现场"]


def test_docx_pictures_in_vml_and_alternate_content_taken_once():
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(BODY.split("\n")[0])
    part = document.part
    vml_rel, _ = part.get_or_add_image(io.BytesIO(jpeg(shapes=30, color=(200, 40, 40))))
    _append_xml(document.add_paragraph(),
                f'<w:pict><v:shape><v:imagedata r:id="{vml_rel}"/></v:shape></w:pict>')
    # Word's own way: the picture, and a VML copy of it for older readers in mc:Fallback.
    choice = document.add_paragraph()
    choice.add_run().add_picture(io.BytesIO(jpeg(shapes=60, color=(40, 40, 200))), width=Cm(8))
    drawing = choice._p.r_lst[0]
    fallback_rel, _ = part.get_or_add_image(io.BytesIO(jpeg(shapes=90, color=(40, 200, 40))))
    alternate = (f'<mc:AlternateContent><mc:Choice Requires="wps"/><mc:Fallback><w:pict>'
                 f'<v:shape><v:imagedata r:id="{fallback_rel}"/></v:shape></w:pict>'
                 f'</mc:Fallback></mc:AlternateContent>')
    _append_xml(choice, alternate)
    choice._p.r_lst[1][0][0].append(drawing[-1])  # the drawing into mc:Choice
    boxed = document.add_paragraph()
    box = ('<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的一句话</w:t>'
           '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>')
    _append_xml(boxed, box)
    _append_xml(boxed, f"<mc:AlternateContent><mc:Fallback>{box}</mc:Fallback>"
                       "</mc:AlternateContent>")
    title, body, pictures = docx_import.read(_docx_bytes(document))
    assert title == TITLE
    assert body == BODY.split("\n")[0] + "\n文本框里的一句话"
    assert len(pictures) == 2
    colours = [_main_colour(blob) for blob, _ in pictures]
    assert colours[0][0] > 150 and colours[1][2] > 150  # red (VML), blue (the choice)


def _main_colour(blob: bytes) -> tuple[int, int, int]:
    from PIL import Image

    image = Image.open(io.BytesIO(blob)).convert("RGB").resize((1, 1))
    return image.getpixel((0, 0))


def test_docx_import_page_makes_a_draft(demo, personas, as_user):
    client = as_user(personas["reporter"])
    response = client.post(reverse("campaign_article_import",
                                   kwargs={"campaign_pk": demo.pk, "code": "150100"}),
                           {"file": SimpleUploadedFile("简讯.docx", brief_docx())})
    article = Article.objects.filter(title=TITLE).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{article.pk}/edit/")
    assert article.photos.count() == 2 and article.body == BODY
    assert article.unit.code == "150100"


@pytest.mark.parametrize("data", [b"%PDF-1.4 hello", b"PK\x03\x04 broken zip",
                                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old .doc"])
def test_not_a_docx_is_refused_by_content(data):
    with pytest.raises(docx_import.DocxRefused):
        docx_import.read(data)


def test_zip_without_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "x")
    with pytest.raises(docx_import.DocxRefused, match="不是 Word"):
        docx_import.read(out.getvalue())


def test_wechat_html_has_inline_styles_only(accepted):
    html = outputs.wechat_html(accepted, lambda url: "https://example.org" + url)
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert "class=" not in html and "<link" not in html
    for tag in re.findall(r"<(\w+)[^>]*>", html):
        assert tag in {"section", "h1", "p", "img"}
    assert all('style="' in t for t in re.findall(r"<\w+[^>]*>", html))
    assert html.count("<img") == 2 and "现场1" in html and TITLE in html
    assert "https://example.org/photos/" in html


def test_wechat_html_escapes(accepted, personas):
    Article.objects.filter(pk=accepted.pk).update(title="<script>alert(1)</script>")
    html = outputs.wechat_html(Article.objects.get(pk=accepted.pk), str)
    assert "<script>" not in html and "&lt;script&gt;" in html


def _typical_and_recommended(article, reviewer):
    services.select_typical(reviewer, article)
    services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 25))
    services.recommend_to_ministry(reviewer, article)


def test_magazine_docx_has_titles_and_pictures(accepted, personas, as_user, demo):
    _typical_and_recommended(accepted, personas["reviewer"])
    response = as_user(personas["reviewer"]).get(
        reverse("campaign_magazine", kwargs={"pk": demo.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == outputs.DOCX_TYPE
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and "现场1" in text and "现场2" in text
    assert len(document.inline_shapes) == 2


def test_magazine_of_chosen_briefs_only(accepted, personas, as_user, demo):
    response = as_user(personas["reviewer"]).get(
        reverse("campaign_magazine", kwargs={"pk": demo.pk}), {"ids": [accepted.pk]})
    document = docx.Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [TITLE]


def test_ministry_zip(accepted, personas, as_user, demo):
    _typical_and_recommended(accepted, personas["reviewer"])
    client = as_user(personas["reviewer"])
    url = reverse("campaign_ministry", kwargs={"pk": demo.pk})
    page = client.get(reverse("campaign_articles", kwargs={"pk": demo.pk})).content.decode()
    assert f'id="ministry-package-form" action="{url}"' in page
    assert 'form="ministry-package-form">生成推荐至民政部材料包（zip）' in page
    job_page = client.post(url)["Location"]
    finish_jobs()
    answer = client.get(job_page + "download")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    job = Job.objects.get(kind="ministry.package")
    assert job.filename.startswith(f"{demo.title}-推荐至民政部-") and job.filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    names = archive.namelist()
    assert names[0] == "00-推荐稿件报送单.docx"
    cover = docx.Document(io.BytesIO(archive.read(names[0])))
    cells = [c.text for row in cover.tables[0].rows for c in row.cells]
    assert TITLE in cells
    briefs = [n for n in names if n.endswith(".docx") and not n.startswith("00-")]
    assert briefs == [f"01-{TITLE}.docx"]
    pictures = [n for n in names if n.endswith(".jpg")]
    assert pictures == [f"01-{TITLE}-照片/01-现场1.jpg", f"01-{TITLE}-照片/02-现场2.jpg"]
    assert all(archive.read(n).startswith(b"\xff\xd8\xff") for n in pictures)
    assert all(b"Exif" not in archive.read(n)[:64] for n in pictures)
