"""Documents look official: the department's fonts and sizes, black, the campaign's dates."""

import io
import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Pt

from campaigndesk.articles import services
from campaigndesk.articles.models import Channel
from tests.jobs.helpers import download

from .conftest import TITLE

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))  # years after 2022


def _run_font(paragraph) -> tuple[str, float]:
    run = paragraph.runs[0]
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")), run.font.size


def _colours(document) -> set[str]:
    """Every colour in the text and in the styles its paragraphs use (and those under them)."""
    styles, xml = set(), [document.element.body.xml]
    for paragraph in document.paragraphs:
        style = paragraph.style
        while style is not None and style.name not in styles:
            styles.add(style.name)
            xml.append(style.element.xml)
            style = style.base_style
    found = set()
    for part in xml:
        found |= set(re.findall(r'w:color w:val="([0-9A-Fa-f]{6})"', part))
        found |= set(re.findall(r'w:themeColor="(\w+)"', part))
    return found


@pytest.fixture
def recommended(accepted, personas):
    reviewer = personas["reviewer"]
    with time_machine.travel(datetime(2022, 3, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        services.select_typical(reviewer, accepted)
        services.publish_article(reviewer, accepted, Channel.WEBSITE, date(2022, 3, 25))
        services.recommend_to_ministry(reviewer, accepted)
    return accepted


def test_magazine_uses_the_departments_formats_and_the_campaigns_dates(recommended, personas,
                                                                       as_user, demo):
    with time_machine.travel(LATER):
        response = as_user(personas["reviewer"]).get(
            reverse("campaign_magazine", kwargs={"pk": demo.pk}))
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title, *_rest = paragraphs
    assert title.text == f"{demo.title}稿件汇编"
    assert _run_font(title) == ("方正小标宋简体", Pt(22))
    contents = next(p for p in paragraphs if p.text == "目录")
    assert _run_font(contents) == ("黑体", Pt(16))
    heading = next(p for p in paragraphs if p.text == TITLE)
    assert heading.style.name == "Heading 1"  # Word's navigation pane still finds it
    assert _run_font(heading) == ("方正小标宋简体", Pt(22))
    body = next(p for p in paragraphs if p.text.startswith("3月18日上午"))
    assert _run_font(body) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.first_line_indent == Pt(32)
    # No Word default blue: no colour but black, no theme colour, no rule under the title.
    assert _colours(document) <= {"000000"}
    assert document.styles["Title"].element.pPr.find(qn("w:pBdr")) is None
    text = "\n".join(p.text for p in paragraphs)
    assert "2022年3月17日至3月31日" in text
    assert "2026" not in text  # the day of the download is not the campaign's


def test_ministry_cover_is_dated_the_day_of_recommending(recommended, personas, as_user, demo):
    with time_machine.travel(LATER):
        data = download(as_user(personas["reviewer"]),
                        reverse("campaign_ministry", kwargs={"pk": demo.pk}))
    archive = zipfile.ZipFile(io.BytesIO(data))
    cover = docx.Document(io.BytesIO(archive.read("00-推荐稿件报送单.docx")))
    text = "\n".join(p.text for p in cover.paragraphs)
    assert "2022年3月28日" in text and "2026" not in text
    assert "活动开展情况" in text
    assert _run_font(cover.paragraphs[0]) == ("方正小标宋简体", Pt(22))
    brief = docx.Document(io.BytesIO(archive.read(f"01-{TITLE}.docx")))
    assert _colours(brief) <= {"000000"}
    caption = next(p for p in brief.paragraphs if p.text == "现场1")
    assert _run_font(caption) == ("楷体_GB2312", Pt(12))
