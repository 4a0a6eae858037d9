"""The dashboard's numbers equal the consolidated workbook's; filters; the page; the export."""

import io
import random
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from campaigndesk.campaigns.models import VocabularyKind
from campaigndesk.oversight import dashboard, exports
from campaigndesk.progress import services
from campaigndesk.progress.exports import write_consolidated_file
from campaigndesk.progress.models import Activity, ReportStatus
from campaigndesk.progress.table import ActivityRow, Totals
from campaigndesk.units.models import Unit, User


def workbook_summary(campaign) -> dict[str, tuple]:
    """{unit name: (activities, participants, beneficiaries, funds fen, materials fen)} as
    read back from the consolidated workbook's 汇总 sheet, 合计 included."""
    out = io.BytesIO()
    write_consolidated_file(campaign, out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["汇总"]
    lines = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        name = row[1] if row[0] != "合计" else "合计"
        lines[name] = (row[2], row[3], row[4], round(row[5] * 100), round(row[6] * 100))
    return lines


def as_tuple(t: Totals) -> tuple:
    return (t.activities, t.participants, t.beneficiaries, t.funds_fen, t.materials_fen)


def assert_equal_to_workbook(campaign):
    view = exports.dashboard_view(campaign, dashboard.Filters())
    book = workbook_summary(campaign)
    assert {u.name: as_tuple(t) for u, t in view.units} | {"合计": as_tuple(view.total)} == book
    return view


def test_demo_dashboard_equals_the_workbook(sample_demo):
    view = assert_equal_to_workbook(sample_demo)
    assert view.total.activities == 6
    assert view.reported_units == 3
    rollup = dict(dashboard.rollup(sample_demo, Unit.objects.get(level="region")))
    assert {u.name: as_tuple(t) for u, t in rollup.items() if t.activities} == {
        u.name: as_tuple(t) for u, t in view.units if t.activities}


def generate(campaign, seed: int) -> None:
    """Random rounds for random units: amounts to the fen, several tags, some deleted."""
    rng = random.Random(seed)
    labels = {kind: [i.label for i in campaign.vocabulary(kind)] for kind in VocabularyKind}
    units = list(campaign.participants.order_by("code"))
    for unit in rng.sample(units, 8):
        user = User.objects.get(username=unit.code)
        report = services.current_report(campaign, unit)
        rows = []
        for n in range(rng.randint(0, 25)):
            start = date(2022, 3, 17) + timedelta(days=rng.randint(0, 14))
            rows.append((None, ActivityRow(
                name=f"{unit.name}活动{n}", participants=rng.randint(0, 500),
                beneficiaries=rng.randint(0, 2000), start=start,
                funds_fen=rng.randint(0, 10**8), materials_fen=rng.choice([0, 1, 99, 12345]),
                service_areas=rng.sample(labels[VocabularyKind.SERVICE_AREA], rng.randint(0, 2)),
                tags={VocabularyKind.FIVE_SOCIAL: rng.sample(labels[VocabularyKind.FIVE_SOCIAL],
                                                             rng.randint(0, 3)),
                      VocabularyKind.ACTIVITY_TYPE: rng.sample(
                          labels[VocabularyKind.ACTIVITY_TYPE], rng.randint(0, 1))})))
        services.save_round(user, report, rows)
        if rows and rng.random() < 0.3:  # a row removed again in the grid: soft-deleted
            services.save_round(user, report, [
                (a.pk, a.to_row()) for a in report.activities.live().order_by("position")][1:])
        if rng.random() < 0.7:
            services.submit_report(user, report, reporter_name="王芳",
                                   reporter_phone="13800001234")


def sent(campaign, **filters):
    """The oracle for these tests: working rows of submitted rounds. `generate` never
    reopens a round, so these are exactly what was sent; the rounds left in draft (30%)
    must not count anywhere."""
    return Activity.objects.live().filter(campaign=campaign, report__status=ReportStatus.SUBMITTED,
                                          **filters)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_campaign_equals_the_workbook(demo, seed):
    generate(demo, seed)
    view = assert_equal_to_workbook(demo)
    live = list(sent(demo).prefetch_related("tags"))
    drafts = Activity.objects.live().filter(campaign=demo).exclude(
        report__status=ReportStatus.SUBMITTED)
    assert drafts.exists()  # the seeds leave some rounds in draft: they must not count
    assert view.total.activities == len(live)
    assert sum(t.activities for _, t in view.days) == len(live)
    assert sum(t.funds_fen for _, t in view.days) == sum(a.funds_fen for a in live)
    for label, totals in view.five_social:
        expected = [a for a in live if any(t.label == label and t.kind == "five_social"
                                           for t in a.tags.all())]
        if label == "未填写":
            expected = [a for a in live if not any(t.kind == "five_social" for t in a.tags.all())]
        assert totals.activities == len(expected), label
        assert totals.participants == sum(a.participants for a in expected), label


def test_filters_by_unit_and_dates(demo):
    generate(demo, 3)
    unit = sent(demo).first().unit
    view = exports.dashboard_view(demo, dashboard.Filters(unit=unit))
    assert [u.pk for u, _ in view.units] == [unit.pk]
    assert [u for u, _ in view.matrix.rows] == [unit]
    assert view.total.activities == sent(demo, unit=unit).count()
    start, end = date(2022, 3, 20), date(2022, 3, 25)
    ranged = exports.dashboard_view(demo, dashboard.Filters(start=start, end=end))
    expected = sent(demo, start_date__range=(start, end))
    assert ranged.total.activities == expected.count()
    assert all(start <= d <= end for d, _ in ranged.days)


def test_matrix_rates_count_on_time_and_late(sample_demo):
    view = exports.dashboard_view(sample_demo, dashboard.Filters())
    first = view.matrix.rates[0]
    assert (first.expected, first.on_time, first.late) == (14, 2, 1)
    assert first.percent == round(300 / 14, 1)


def test_region_user_sees_the_matrix_and_the_charts_data(sample_demo, personas, as_user):
    client = as_user(personas["reviewer"])
    response = client.get(reverse("campaign_dashboard", kwargs={"pk": sample_demo.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="status-matrix"' in html and "逾期报送" in html and "乌海市" in html
    assert 'id="dashboard-data" type="application/json"' in html
    assert "<script>" not in html and "onclick" not in html  # CSP: no inline script
    assert "催报" in html
    filtered = client.get(reverse("campaign_dashboard", kwargs={"pk": sample_demo.pk}),
                          {"unit": "150400", "from": "2022-03-17", "to": "2022-03-31"})
    table = filtered.content.decode().split('id="status-matrix"')[1].split("</table>")[0]
    assert "赤峰市" in table and "乌海市" not in table


def test_reporter_sees_only_its_own_unit(sample_demo, personas, as_user):
    client = as_user(User.objects.get(username="150300"))
    url = reverse("campaign_dashboard", kwargs={"pk": sample_demo.pk})
    html = client.get(url, {"unit": "150400"}).content.decode()
    table = html.split('id="status-matrix"')[1].split("</table>")[0]
    assert "乌海市" in table and "赤峰市" not in table
    assert "催报" not in html
    book = client.get(reverse("dashboard_xlsx", kwargs={"pk": sample_demo.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["按单位"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["乌海市", "合计"]


def test_export_is_the_current_view_and_text_stays_text(demo, personas, as_user):
    user = User.objects.get(username="150100")
    report = services.current_report(demo, user.unit)
    services.save_round(user, report, [(None, ActivityRow(name="讲座", participants=5,
                                                          start=date(2022, 3, 18)))])
    services.submit_report(user, report, reporter_name="王芳", reporter_phone="13800001234")
    Unit.objects.filter(code="150100").update(name="=1+1呼和浩特市")  # user text, not a formula
    client = as_user(personas["region_admin"])
    response = client.get(reverse("dashboard_xlsx", kwargs={"pk": demo.pk}),
                          {"unit": "150100", "from": "2022-03-17"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["报送情况", "按单位", "按服务领域", "按活动类型", "按五社要素",
                               "按日期", "服务场所标识"]
    rows = list(book["按单位"].iter_rows(min_row=2, values_only=True))
    assert rows == [("=1+1呼和浩特市", 1, 5, 0, 0, 0), ("合计", 1, 5, 0, 0, 0)]
    assert book["按单位"]["A2"].data_type == "s"
    assert "=1+1呼和浩特市" in book["报送情况"]["A2"].value
    assert list(book["按日期"].iter_rows(min_row=2, values_only=True))[0][:3] == (
        "2022-03-18", 1, 5)


@pytest.mark.parametrize(("query", "label"), [
    ({"from": "2026-12-01"}, "活动日期：2026-12-01起；"),
    ({"to": "2026-12-10"}, "活动日期：至2026-12-10；"),
    ({"from": "2026-12-01", "to": "2026-12-10"}, "活动日期：2026-12-01至2026-12-10；"),
    ({}, "活动日期：全部日期；"),
])
def test_export_names_which_side_a_date_filter_bounds(demo, personas, as_user, query, label):
    # "活动日期：2026-12-01" alone reads as one day, where the filter meant "from then on".
    client = as_user(personas["region_admin"])
    response = client.get(reverse("dashboard_xlsx", kwargs={"pk": demo.pk}), query)
    line = openpyxl.load_workbook(io.BytesIO(response.content))["报送情况"]["A2"].value
    assert label in line, line


def test_export_survives_text_that_looks_like_rich_text_xml(demo, personas, as_user):
    # XlsxWriter writes "<r>…</r>" as raw XML; "&" inside it made the file unreadable.
    Unit.objects.filter(code="150100").update(name="<r>&</r>")
    client = as_user(personas["region_admin"])
    response = client.get(reverse("dashboard_xlsx", kwargs={"pk": demo.pk}))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "<r>&</r>" in [row[0] for row in book["按单位"].iter_rows(values_only=True)]


def test_unknown_unit_filter_is_404(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    url = reverse("campaign_dashboard", kwargs={"pk": demo.pk})
    assert client.get(url, {"unit": "999999"}).status_code == 404
    assert client.get(url, {"from": "not-a-date"}).status_code == 200
