"""Issue 11: the 说明 and 联系人 lines of every progress workbook are the campaign's own, not
the 2022 notice's (3月24日、31日) on a campaign due 11月27日 and 12月4日."""

import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigndesk.campaigns.models import Contact
from campaigndesk.campaigns.services import copy_campaign
from campaigndesk.progress import services
from campaigndesk.progress.excel_out import DEFAULT_NOTES
from campaigndesk.progress.table import ActivityRow
from tests.jobs.helpers import download

NOTES_2026 = ("说明： 此表于11月27日、12月4日下午17:00前报至自治区民政厅社会工作处。",
              "联系人：李明 电子邮箱：liming@example.org 联系电话：0471-1234567")


def notes_of(sheet) -> tuple[str, ...]:
    """Column A from the 说明 line to the end of the sheet."""
    column = [row[0] for row in sheet.iter_rows(values_only=True)]
    at = next(i for i, text in enumerate(column) if str(text or "").startswith("说明："))
    return tuple(text for text in column[at:] if text)


def book(response):
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def campaign_2026(demo, personas):
    """The 2022 campaign copied into 2026, its rounds due 27 November and 4 December, with
    its own contact and office."""
    new = copy_campaign(personas["region_admin"], demo, year=2026)
    first, second = new.deadlines.filter(kind="progress").order_by("due_at")
    tz = timezone.get_current_timezone()
    first.due_at = datetime(2026, 11, 27, 17, tzinfo=tz)
    second.due_at = datetime(2026, 12, 4, 17, tzinfo=tz)
    first.save()
    second.save()
    new.contacts.all().delete()
    Contact.objects.create(campaign=new, name="李明", office="自治区民政厅社会工作处",
                           phone="0471-1234567", email="liming@example.org")
    return new


def test_the_pages_link_the_campaigns_own_blank_table(campaign_2026, personas, as_user):
    client = as_user(personas["reporter"])
    own = reverse("campaign_progress_template", kwargs={"pk": campaign_2026.pk})
    kwargs = {"campaign_pk": campaign_2026.pk, "code": "150100"}
    for page in ("campaign_unit_home", "campaign_unit_progress"):
        html = client.get(reverse(page, kwargs=kwargs)).content.decode()
        assert f'href="{own}"' in html, page
        assert 'href="/progress/template.xlsx"' not in html, page


def test_every_workbook_of_2026_carries_its_deadlines_and_contact(campaign_2026, personas,
                                                                   as_user, units):
    reporter = personas["reporter"]
    report = services.current_report(campaign_2026, units["150100"])
    services.save_round(reporter, report, [(None, ActivityRow(name="社工宣传进社区"))])
    services.submit_report(reporter, report, reporter_name="王芳",
                           reporter_phone="13800001234")
    client = as_user(reporter)
    template = book(client.get(reverse("campaign_progress_template",
                                       kwargs={"pk": campaign_2026.pk})))
    assert notes_of(template.active) == NOTES_2026
    unit_report = book(client.get(reverse("report_xlsx", kwargs={"pk": report.pk})))
    assert notes_of(unit_report.active) == NOTES_2026
    region = as_user(personas["region_admin"])
    consolidated = openpyxl.load_workbook(io.BytesIO(download(
        region, reverse("campaign_progress_xlsx", kwargs={"pk": campaign_2026.pk}))))
    # 汇总, a sheet per unit, and last the service places' signage (issue 16).
    assert consolidated.sheetnames[-1] == "服务场所标识"
    unit_sheets = consolidated.worksheets[1:-1]
    assert len(unit_sheets) == campaign_2026.participants.count()
    assert {notes_of(sheet) for sheet in unit_sheets} == {NOTES_2026}


def test_the_2022_campaign_and_the_old_address_give_attachment_1(demo, personas, as_user):
    client = as_user(personas["reporter"])
    for url in (reverse("campaign_progress_template", kwargs={"pk": demo.pk}),
                reverse("progress_template")):
        assert notes_of(book(client.get(url)).active) == DEFAULT_NOTES, url


def test_a_unit_outside_the_campaign_cannot_open_its_template(campaign_2026, personas,
                                                              as_user, units):
    campaign_2026.participants.remove(units["150100"])
    client = as_user(personas["reporter"])
    url = reverse("campaign_progress_template", kwargs={"pk": campaign_2026.pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("campaign_progress_template", kwargs={"pk": 99999})).status_code \
        == 404
