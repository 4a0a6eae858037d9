"""Final summaries: written or uploaded, checked by content, versions kept, late marked."""

import time_machine
from django.urls import reverse

from campaigndesk.campaigns.models import Submission
from campaigndesk.oversight import summaries
from campaigndesk.oversight.models import FinalSummary, FinalSummaryVersion

from .conftest import beijing
from .files import DATA, docx_bytes, pdf_bytes, png_bytes


def page(campaign, code="150100"):
    return reverse("unit_summary", kwargs={"campaign_pk": campaign.pk, "code": code})


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_write_then_upload_keeps_versions_and_first_submission(demo, personas, as_user):
    client = as_user(personas["reporter"])
    with time_machine.travel(beijing(4, 5, 23, 58), tick=False):
        first = client.post(page(demo), {"text": "一、基本情况\n二、主要做法"}, follow=True)
    assert "已报送活动总结第1版" in first.content.decode()
    with time_machine.travel(beijing(4, 6, 9), tick=False):
        client = as_user(personas["reporter"])  # the idle session expired overnight
        sent = docx_bytes()
        second = client.post(page(demo), {"file": upload("总结.docx", sent)},
                             follow=True)
    assert "第2版（逾期报送）" in second.content.decode()
    summary = FinalSummary.objects.get(unit__code="150100")
    versions = list(summary.versions.order_by("number"))
    assert [v.file_kind for v in versions] == ["", "docx"]
    assert [v.is_late for v in versions] == [False, True]
    stored = summaries.file_path(versions[1])
    assert stored.name == f"{versions[1].file_key}.docx" and stored.read_bytes() == sent
    # Timeliness is the first version's: still on time.
    assert not Submission.objects.get(deadline__kind="summary", unit__code="150100").is_late


def test_late_first_version_is_late(demo, personas, as_user):
    client = as_user(personas["reporter"])
    with time_machine.travel(beijing(4, 6, 0, 1), tick=False):
        client.post(page(demo), {"file": upload("summary.pdf", pdf_bytes())})
    assert Submission.objects.get(deadline__kind="summary", unit__code="150100").is_late
    region = as_user(personas["reviewer"])
    html = region.get(reverse("campaign_summaries", kwargs={"pk": demo.pk})).content.decode()
    assert "逾期报送" in html and "PDF" in html


def test_renamed_image_and_other_files_are_refused(demo, personas, as_user):
    client = as_user(personas["reporter"])
    for name, data in [("总结.docx", png_bytes()), ("总结.pdf", png_bytes()),
                       ("总结.docx", b"PK\x03\x04 not really a zip"),
                       ("总结.docx", _zip_without_document())]:
        response = client.post(page(demo), {"file": upload(name, data)})
        assert response.status_code == 200
        html = response.content.decode()
        assert "请修改以下 1 处" in html, name  # the error summary on top
    assert not FinalSummaryVersion.objects.exists()
    assert not Submission.objects.filter(deadline__kind="summary").exists()


def test_word_97_2003_doc_is_accepted_and_downloaded_as_doc(demo, personas, as_user):
    # Saved as .doc by LibreOffice (tests/oversight/data/summary.doc), as Word 2003 and
    # WPS users still do; WPS's .wps is the same format.
    sent = (DATA / "summary.doc").read_bytes()
    client = as_user(personas["reporter"])
    response = client.post(page(demo), {"file": upload("总结.wps", sent)}, follow=True)
    assert "已报送活动总结第1版" in response.content.decode()
    version = FinalSummaryVersion.objects.get()
    assert version.file_kind == "doc" and summaries.file_path(version).read_bytes() == sent
    region = as_user(personas["reviewer"])
    download = region.get(reverse("summary_file", kwargs={"pk": version.pk}))
    assert download["Content-Type"] == "application/msword"
    assert ".doc" in download["Content-Disposition"] and b"".join(download) == sent


def test_encrypted_doc_and_renamed_spreadsheet_are_refused(demo, personas, as_user):
    from pathlib import Path

    sent = bytearray((DATA / "summary.doc").read_bytes())
    fib = sent.index(b"\xec\xa5")  # the WordDocument stream's header (FibBase)
    sent[fib + 11] |= 0x01  # fEncrypted, as Word sets it for a password to open
    xls = (Path(__file__).parents[1] / "progress" / "files" / "messy.xls").read_bytes()
    client = as_user(personas["reporter"])
    for name, data, message in [("总结.doc", bytes(sent), "设置了打开密码"),
                                ("总结.doc", xls, "上传的是Excel 表格")]:
        html = client.post(page(demo), {"file": upload(name, data)}).content.decode()
        assert message in html, name
    assert not FinalSummaryVersion.objects.exists()


def _zip_without_document() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "不是 Word")
    return out.getvalue()


def test_size_cap_and_empty_submission(demo, personas, monkeypatch, as_user):
    client = as_user(personas["reporter"])
    assert "请填写总结正文或上传总结文件" in client.post(page(demo), {"text": " "}).content.decode()
    monkeypatch.setattr(summaries, "MAX_FILE_BYTES", 100)
    assert "文件过大" in client.post(page(demo), {"file": upload("a.pdf", pdf_bytes() * 3)}
                                   ).content.decode()


def test_who_may_see_and_download(demo, personas, as_user):
    version = summaries.submit_summary(personas["reporter"], demo.deadlines.get(kind="summary"),
                                       personas["reporter"].unit,
                                       upload=summaries.Upload("x.pdf", pdf_bytes()))
    url = reverse("summary_file", kwargs={"pk": version.pk})
    assert as_user(personas["reviewer"]).get(url)["Content-Type"] == "application/pdf"
    assert as_user(personas["other_reporter"]).get(url).status_code == 404
    assert as_user(personas["reviewer"]).post(page(demo), {"text": "审核员代写"}).status_code == 403
