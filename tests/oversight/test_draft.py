"""The region's summary draft (.docx), its chart images with real Chinese glyphs, whole-number
axes for counts and every day of the campaign on the day charts."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from PIL import Image, ImageFont

from campaigndesk.oversight import charts, dashboard, draft, exports
from campaigndesk.progress.table import Totals
from tests.jobs.helpers import download


def test_draft_opens_and_has_slogan_tables_and_pictures(sample_demo, personas, as_user):
    data = download(as_user(personas["region_admin"]),
                    reverse("summary_draft", kwargs={"pk": sample_demo.pk}))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert sample_demo.slogan in text
    assert "2022年3月17日" in text and "2022年3月31日" in text
    assert "乌海市" in text and "迟报" in text  # the late unit is named
    assert len(doc.tables) >= 2
    names = [row.cells[0].text for row in doc.tables[0].rows]
    assert "赤峰市" in names and names[-1] == "合计"
    assert len(doc.inline_shapes) >= 2
    assert "典型案例" in text or "厅门户网站" in text


def test_the_opening_sentence_reads_with_and_without_a_document_number(sample_demo, personas,
                                                                      as_user):
    client = as_user(personas["region_admin"])

    def opening() -> str:
        doc = Document(io.BytesIO(download(
            client, reverse("summary_draft", kwargs={"pk": sample_demo.pk}))))
        return next(p.text for p in doc.paragraphs if "组织开展" in p.text)

    assert opening().startswith(f"为落实{sample_demo.document_number}要求，自治区民政厅于")
    type(sample_demo).objects.filter(pk=sample_demo.pk).update(document_number="")
    assert opening().startswith("自治区民政厅于2022年3月17日")  # not "为自治区民政厅于"


def test_chart_font_has_chinese_glyphs():
    font = charts.cjk_font(24)
    assert charts.has_cjk_glyphs(font)
    # A font without CJK (Pillow's built-in one) is recognised as drawing boxes or nothing.
    assert not charts.has_cjk_glyphs(ImageFont.load_default(size=24))


def _crop(png: bytes, box) -> bytes:
    return Image.open(io.BytesIO(png)).convert("L").crop(box).tobytes()


def test_rendered_chart_text_is_not_boxes():
    # Two charts identical but for one title character: with real glyphs the title pixels
    # differ; with tofu both characters would be the same empty box.
    first = charts.bar_chart("社", ["呼和浩特市"], [3])
    second = charts.bar_chart("工", ["呼和浩特市"], [3])
    title = (560, 10, 640, 50)
    assert _crop(first, title) != _crop(second, title)
    assert len(set(_crop(first, title))) > 2  # something was drawn there
    line = charts.line_chart("每日活动", ["3月17日", "3月18日"], [1, 4])
    assert Image.open(io.BytesIO(line)).size == (1200, 560)


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "CANDIDATES", ())
    monkeypatch.setattr(charts, "PATTERNS", ())
    monkeypatch.setenv("CAMPAIGNDESK_CJK_FONT", "/nonexistent/font.ttf")
    try:
        with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
            charts.cjk_font(20)
    finally:
        charts.cjk_font.cache_clear()


def test_draft_of_an_empty_campaign(demo):
    doc = Document(io.BytesIO(draft.build_draft(demo)))
    assert "本次活动尚未评选典型案例。" in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.parametrize("largest", [0, 1, 3, 5, 7, 9, 13, 37, 148, 999, 1234])
def test_count_axes_have_whole_number_grid_lines(largest):
    grid = charts.ticks(largest)
    assert grid[0] == 0 and grid[-1] >= largest
    assert all(float(t).is_integer() for t in grid), grid  # never 1.25 activities
    assert grid[-1] <= max(4, largest * 2.5)  # and the bars still fill the chart


def test_days_without_activities_are_on_the_chart_at_zero(sample_demo, personas, as_user):
    client = as_user(personas["reviewer"])
    url = reverse("campaign_dashboard", kwargs={"pk": sample_demo.pk})
    view = exports.dashboard_view(sample_demo, dashboard.Filters())
    busy = {d.strftime("%m-%d"): t.activities for d, t in view.days if d}
    series = _chart_data(client.get(url))["days"]
    # Every day of the campaign, 17 to 31 March, in order, quiet ones at 0.
    assert series["labels"] == [f"03-{day}" for day in range(17, 32)]
    assert dict(zip(series["labels"], series["activities"], strict=True)) == {
        label: busy.get(label, 0) for label in series["labels"]}
    assert 0 in series["activities"] and len(busy) < 15
    ranged = _chart_data(client.get(url, {"from": "2022-03-20", "to": "2022-03-22"}))["days"]
    assert ranged["labels"] == ["03-20", "03-21", "03-22"]


def _chart_data(response) -> dict:
    html = response.content.decode()
    raw = html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(raw)


def test_every_day_fills_the_gaps_and_leaves_a_huge_range_alone():
    one = Totals(activities=1)
    lines = [(date(2022, 3, 18), one), (date(2022, 3, 21), one), (None, one)]
    filled = dashboard.every_day(lines, date(2022, 3, 17), date(2022, 3, 22))
    assert [d.day for d, _ in filled] == [17, 18, 19, 20, 21, 22]
    assert [t.activities for _, t in filled] == [0, 1, 0, 0, 1, 0]
    assert dashboard.every_day([], None, None) == []
    far = dashboard.every_day(lines, date(2000, 1, 1), None)
    assert [d for d, _ in far] == [date(2022, 3, 18), date(2022, 3, 21)]
