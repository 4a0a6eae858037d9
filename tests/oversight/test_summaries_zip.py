"""All units' final summaries as one .zip: each unit's latest version, and who sent what."""

import io
import zipfile

import docx
import openpyxl
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs.models import Job
from campaigndesk.oversight import summaries
from campaigndesk.units.models import User
from tests.jobs.helpers import download

from .conftest import beijing
from .files import docx_bytes, pdf_bytes


def send(campaign, code: str, when, **content):
    user = User.objects.get(username=code)
    deadline = summaries.summary_deadlines(campaign)[0]
    return summaries.submit_summary(user, deadline, user.unit, now=when, **content)


def test_zip_holds_each_units_latest_summary_and_the_list(demo, personas, as_user):
    send(demo, "150100", beijing(4, 1, 10), text="第一版，已作废")
    send(demo, "150100", beijing(4, 2, 10), text="呼和浩特市活动总结（第二版）",
         upload=summaries.Upload("总结.docx", docx_bytes("呼和浩特市总结正文")))
    send(demo, "150200", beijing(4, 3, 10), text="一、基本情况\n全市开展活动12场。\n二、经验做法")
    send(demo, "150300", beijing(4, 7, 10), upload=summaries.Upload("乌海.pdf", pdf_bytes()))

    client = as_user(personas["reviewer"])
    page = client.get(reverse("campaign_summaries", kwargs={"pk": demo.pk})).content.decode()
    assert f'action="/campaigns/{demo.pk}/summaries.zip"' in page
    archive = zipfile.ZipFile(io.BytesIO(download(client, reverse("summaries_zip",
                                                                  kwargs={"pk": demo.pk}))))
    names = archive.namelist()
    assert names == ["01-呼和浩特市-活动总结报送.docx",
                     "01-呼和浩特市-活动总结报送-网页填写正文.docx",
                     "02-包头市-活动总结报送.docx", "03-乌海市-活动总结报送.pdf",
                     "00-报送情况.xlsx"]
    uploaded = docx.Document(io.BytesIO(archive.read(names[0])))
    assert [p.text for p in uploaded.paragraphs] == ["呼和浩特市总结正文"]
    note = docx.Document(io.BytesIO(archive.read(names[1])))
    assert [p.text for p in note.paragraphs] == ["呼和浩特市2022年社会工作主题宣传活动总结",
                                                   "呼和浩特市活动总结（第二版）"]
    written = docx.Document(io.BytesIO(archive.read(names[2])))
    assert [p.text for p in written.paragraphs][1:] == ["一、基本情况", "全市开展活动12场。",
                                                        "二、经验做法"]
    assert archive.read(names[3]) == pdf_bytes()

    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("00-报送情况.xlsx"))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == demo.participants.count()
    assert rows["呼和浩特市"][3] == "第2版" and "按时报送" in rows["呼和浩特市"][2]
    assert "逾期报送" in rows["乌海市"][2]
    assert "逾期未报" in rows["赤峰市"][2] and not rows["赤峰市"][5]
    entry = AuditEntry.objects.get(action="summary.export")
    assert entry.changes == {"summaries": 3}


def test_reporters_cannot_download_every_units_summary(demo, personas, as_user):
    url = reverse("summaries_zip", kwargs={"pk": demo.pk})
    for persona in ("reporter", "auditor"):
        assert as_user(personas[persona]).post(url).status_code == 403
    assert not Job.objects.exists()
