"""One definition of "reported": every output of the product shows the same figures.

One campaign with a round submitted on time, a draft of the next round, a reopened round
being corrected, and a late submission. Only what was submitted counts — a reopened round
as its last submitted version — and every place a figure leaves the product agrees: the
工作进展汇总 page, the consolidated workbook (汇总 and the unit sheets), the dashboard page
and each of its charts' data, the dashboard export, the public screen and its data.json,
the summary draft .docx and the ministry package.
"""

import io
import json
import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.urls import reverse

from campaigndesk.articles import services as articles
from campaigndesk.campaigns.models import VocabularyKind
from campaigndesk.progress import services
from campaigndesk.progress.models import Report
from campaigndesk.progress.table import ActivityRow
from campaigndesk.units.models import User
from tests.articles.conftest import BODY, TITLE, jpeg
from tests.jobs.helpers import download

BEIJING = ZoneInfo("Asia/Shanghai")
# What was sent: A, B (呼和浩特市, on time), D (包头市, version 1), E (满洲里市, late).
SENT = {"呼和浩特市": (2, 30, 300, 150), "包头市": (1, 5, 50, 0), "满洲里市": (1, 7, 70, 1)}
TOTAL = (4, 42, 420, 151)  # activities, participants, beneficiaries, funds in fen
DRAFT_ACTIVITIES = 1  # C (呼和浩特市, round 2); 包头市's reopened round is no draft


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2022, month, day, hour, tzinfo=BEIJING)


def row(name, participants, beneficiaries, funds_fen=0, day=18, area=None) -> ActivityRow:
    return ActivityRow(name=name, participants=participants, beneficiaries=beneficiaries,
                       funds_fen=funds_fen, start=date(2022, 3, day),
                       service_areas=[area] if area else [])


def submit(user, report, when):
    return services.submit_report(user, report, reporter_name=f"{user.unit.name}填报人",
                                  reporter_phone="13800001234", now=when)


@pytest.fixture
def year(demo, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = demo.vocabulary(VocabularyKind.SERVICE_AREA)[0].label
    hohhot, baotou, manzhouli = (User.objects.get(username=code)
                                 for code in ("150100", "150200", "150781"))
    # 呼和浩特市: round 1 on time; round 2 saved in the grid, not submitted.
    first = services.current_report(demo, hohhot.unit)
    services.save_round(hohhot, first, [(None, row("A", 10, 100, 100, area=area)),
                                        (None, row("B", 20, 200, 50, day=20))])
    submit(hohhot, first, at(3, 24, 10))
    second = services.current_report(demo, hohhot.unit)
    services.save_round(hohhot, second, [(None, row("C", 1000, 9000, 10**8, day=28))])
    # 包头市: round 1 sent, then reopened and being corrected (not yet sent again).
    report = services.current_report(demo, baotou.unit)
    services.save_round(baotou, report, [(None, row("D", 5, 50, area=area))])
    submit(baotou, report, at(3, 24, 11))
    services.reopen_report(personas["region_admin"], report, reason="参与人次有误")
    report.refresh_from_db()
    activity = report.activities.live().get()
    services.save_round(baotou, report, [(activity.pk, row("D", 500, 5000, area=area)),
                                         (None, row("F", 60, 600, day=22))],
                        expected_revision=report.revision)
    # 满洲里市: round 1 sent a day late.
    late = services.current_report(demo, manzhouli.unit)
    services.save_round(manzhouli, late, [(None, row("E", 7, 70, 1, day=19))])
    submit(manzhouli, late, at(3, 25, 9))
    # A brief recommended to the ministry, so the ministry package can be downloaded.
    brief = articles.create_article(hohhot, campaign=demo, unit=hohhot.unit, title=TITLE,
                                    body=BODY)
    for n in (1, 2):
        articles.add_photo(hohhot, brief, jpeg(shapes=n * 11), caption=f"现场{n}")
    articles.submit_article(hohhot, brief)
    articles.accept_article(personas["reviewer"], brief)
    articles.recommend_to_ministry(personas["reviewer"], brief)
    return demo


def cells(html: str, part: str) -> list[str]:
    body = html.split(f"<{part}>")[1].split(f"</{part}>")[0]
    return [re.sub(r"<[^>]+>", "", c).replace(",", "").strip()
            for c in re.findall(r"<t[dh][^>]*>.*?</t[dh]>", body, re.S)]


def test_every_output_counts_what_was_submitted_and_nothing_else(year, personas, as_user):
    campaign = year
    client = as_user(personas["region_admin"])
    n, p, b, f = TOTAL

    # 工作进展汇总: the 合计 row fills each round and the cumulative columns; drafts apart.
    page = client.get(reverse("campaign_progress", kwargs={"pk": campaign.pk})).content.decode()
    footer = cells(page, "tfoot")
    assert footer[0] == "合计"
    first_round, second_round, cumulative, drafts = (footer[1:6], footer[6:11], footer[11:16],
                                                    footer[16:21])
    assert first_round[:3] == [str(n), str(p), str(b)] and first_round[3] == "1.51"
    assert second_round[:3] == ["0", "0", "0"]
    assert cumulative[:3] == [str(n), str(p), str(b)]
    assert drafts[0] == str(DRAFT_ACTIVITIES)
    assert "草稿（未报送）" in page
    lines = {c[0].replace("退回修改中", ""): c for c in (cells(tr, "tr") for tr in
                                re.findall(r"<tr>.*?</tr>", page.split("<tbody>")[1], re.S))}
    assert lines["包头市"][1:3] == ["1", "5"]  # version 1, not the correction in progress
    assert lines["包头市"][0] == "包头市退回修改中"
    assert lines["呼和浩特市"][6] == "0"  # round 2 is a draft

    # The consolidated workbook: 汇总 and the unit sheets hold the sent rows only.
    data = download(client, reverse("campaign_progress_xlsx", kwargs={"pk": campaign.pk}))
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {r[1]: r for r in book["汇总"].iter_rows(min_row=3, values_only=True) if r[1]}
    total_row = next(r for r in book["汇总"].iter_rows(min_row=3, values_only=True)
                     if r[0] == "合计")
    assert total_row[2:5] == (n, p, b) and round(total_row[5] * 100) == f
    for name, (units_n, units_p, units_b, units_f) in SENT.items():
        assert summary[name][2:5] == (units_n, units_p, units_b), name
        assert round(summary[name][5] * 100) == units_f, name
    names = [r[1] for r in book["呼和浩特市"].iter_rows(min_row=8, values_only=True)
             if isinstance(r[0], int)]
    assert names == ["A", "B"]
    baotou = [r for r in book["包头市"].iter_rows(min_row=8, values_only=True)
              if isinstance(r[0], int)]
    assert [(r[1], r[3]) for r in baotou] == [("D", 5)]

    # The dashboard: every chart's data adds up to what was sent.
    html = client.get(reverse("campaign_dashboard", kwargs={"pk": campaign.pk})).content.decode()
    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert sum(data["units"]["activities"]) == n
    assert sum(data["units"]["participants"]) == p
    assert sum(data["days"]["activities"]) == n
    assert sum(data["days"]["participants"]) == p
    # C, the draft's only day, is on the chart (every day of the campaign is) but at 0.
    assert dict(zip(data["days"]["labels"], data["days"]["activities"], strict=True))[
        "03-28"] == 0
    assert "另有草稿（未报送）1 条活动" in html  # shown apart, as what is coming
    assert "1 份报告退回修改中，仍按最后报送的版本计" in html
    # Each activity has at most one service area and no other tags: each list adds up.
    for chart in ("service_area", "activity_type", "five_social"):
        assert sum(data[chart]["activities"]) == n, chart
        assert sum(data[chart]["participants"]) == p, chart

    # The dashboard export.
    export = client.get(reverse("dashboard_xlsx", kwargs={"pk": campaign.pk}))
    by_unit = list(openpyxl.load_workbook(io.BytesIO(export.content))["按单位"]
                   .iter_rows(min_row=2, values_only=True))
    assert by_unit[-1][:4] == ("合计", n, p, b) and round(by_unit[-1][4] * 100) == f

    # The public screen, page and data.json, without a log-in.
    client.logout()
    screen = client.get(reverse("screen_campaign", kwargs={"campaign_pk": campaign.pk}))
    assert screen.status_code == 200
    figures = {item["label"]: item["value"] for item in client.get(
        reverse("screen_data", kwargs={"campaign_pk": campaign.pk})).json()["figures"]}
    assert figures["开展活动"] == n and figures["参与人次"] == p and figures["受益人次"] == b
    assert figures["报送单位"] == 3  # the same count as the summary draft and the package
    assert "1000" not in screen.content.decode().replace(",", "")

    # The summary draft .docx and the ministry package.
    client = as_user(personas["region_admin"])
    draft = download(client, reverse("summary_draft", kwargs={"pk": campaign.pk}))
    text = "\n".join(par.text for par in docx.Document(io.BytesIO(draft)).paragraphs)
    assert f"3个单位报送了活动情况，共开展活动{n}场，参与{p}人次，受益{b}人次" in text
    package = download(client, reverse("campaign_ministry", kwargs={"pk": campaign.pk}))
    archive = zipfile.ZipFile(io.BytesIO(package))
    cover = docx.Document(io.BytesIO(archive.read("00-推荐稿件报送单.docx")))
    cover_text = "\n".join(par.text for par in cover.paragraphs)
    assert f"3个单位报送，开展活动{n}场，参与{p}人次，受益{b}人次" in cover_text


def test_a_resubmitted_correction_replaces_the_version_it_corrects(year, personas):
    from campaigndesk.oversight import dashboard

    report = Report.objects.get(unit__code="150200", status="reopened")
    submit(User.objects.get(username="150200"), report, at(3, 26, 9))
    total = dashboard.participants_total(year)
    # D is now 500 and F (60) is added; the first version (D = 5) no longer counts.
    assert (total.activities, total.participants) == (5, 42 - 5 + 500 + 60)


def test_the_report_page_shows_what_counts_and_the_draft_apart(year, personas, as_user):
    report = Report.objects.get(unit__code="150200", status="reopened")
    client = as_user(personas["region_admin"])
    html = client.get(reverse("report_detail", kwargs={"pk": report.pk})).content.decode()
    body = cells(html, "tbody")
    sent = body[body.index("本轮（已报送）"):][1:6]
    draft = body[body.index("修改中（未报送）"):][1:6]
    assert sent[:2] == ["1", "5"] and draft[:2] == ["2", "560"]
    assert "汇总和看板仍按第1版计" in html
    assert "包头市填报人" in html  # 填报人 of the submission
