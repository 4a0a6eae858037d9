"""Issue 12 points 8 and 14: error pages in Chinese, and what the audit log keeps of them.

A server error answered Django's English "Server Error (500)" (the debug page in demo
mode); 403/404 on object URLs, refused uploads and downloads of photos and summaries left
no trace in the audit log.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.progress import exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_download(monkeypatch):
    """A real view failing inside: the blank template download raises."""
    def fail():
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(exports, "template_response", fail)
    return reverse("progress_template")


@pytest.mark.parametrize("debug,demo_mode", [(False, False), (True, True)])
def test_a_server_error_gets_a_chinese_page_and_an_audit_entry(
        demo, personas, settings, broken_download, debug, demo_mode):
    settings.DEBUG, settings.DEMO_MODE = debug, demo_mode
    client = Client(raise_request_exception=False)
    client.force_login(personas["reporter"])
    response = client.get(broken_download)
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错，请稍后再试" in page
    assert "Server Error" not in page and "Traceback" not in page and "disk on fire" not in page
    entry = AuditEntry.objects.get(action="server.error")
    assert entry.actor == personas["reporter"]
    assert entry.changes == {"path": broken_download, "method": "GET", "error": "RuntimeError"}


def test_htmx_gets_the_server_error_as_text(demo, personas, settings, broken_download):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(personas["reporter"])
    response = client.get(broken_download, headers={"HX-Request": "true"})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "系统出错" in response.content.decode()


def test_404_and_403_pages_are_chinese_with_debug_off(demo, personas, settings, client):
    settings.DEBUG = False
    client.force_login(personas["reporter"])
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    denied = client.get(reverse("audit_log"))
    assert denied.status_code == 403 and "无权访问" in denied.content.decode()


def test_refusals_on_object_urls_are_audited(demo, personas, client):
    from django.core.cache import cache

    from campaigndesk.progress import services

    cache.clear()  # the once-per-minute limit of refusals (security/refusals.py)

    report = services.current_report(demo, personas["reporter"].unit)
    client.force_login(personas["reporter"])
    other = reverse("unit_progress", kwargs={"code": "150200"})
    assert client.get(other).status_code == 404
    reopen = reverse("report_reopen", kwargs={"pk": report.pk})
    assert client.post(reopen, {"reason": "x"}).status_code == 403
    entries = {e.action: e for e in AuditEntry.objects.filter(action__startswith="access.")}
    assert set(entries) == {"access.not_found", "access.denied"}
    assert entries["access.not_found"].changes["path"] == other
    assert entries["access.denied"].changes == {"path": reopen, "method": "POST"}
    assert all(e.actor == personas["reporter"] for e in entries.values())
    # A page without an object, and the public pages, are no attempt at an object.
    client.get("/no-such-page/")
    client.get(reverse("news_article", kwargs={"pk": 999999}))
    assert AuditEntry.objects.filter(action__startswith="access.").count() == 2


def test_refused_photo_and_summary_uploads_are_audited(demo, personas, client, settings,
                                                      tmp_path):
    from campaigndesk.articles import services

    settings.MEDIA_ROOT, settings.DATA_DIR = tmp_path / "media", tmp_path
    reporter = personas["reporter"]
    article = services.create_article(reporter, campaign=demo, unit=reporter.unit,
                                      title="标题", body="正文")
    client.force_login(reporter)
    client.post(reverse("photo_add", kwargs={"pk": article.pk}),
                {"image": SimpleUploadedFile("现场.jpg", b"%PDF-1.7 not a photo"),
                 "caption": "现场"})
    photo = AuditEntry.objects.get(action="article.photo_refused")
    assert photo.changes["photo"] == "现场.jpg" and "不是可识别的照片" in photo.message
    summary_page = reverse("unit_summary", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    client.post(summary_page, {"file": SimpleUploadedFile("总结.docx", b"GIF89a....")})
    summary = AuditEntry.objects.get(action="summary.refused")
    assert summary.changes["file"] == "总结.docx" and "只接受 Word" in summary.message


def test_photo_and_summary_downloads_are_audited(demo, personas, client, settings, tmp_path):
    from campaigndesk.articles import services
    from campaigndesk.oversight import summaries
    from tests.articles.conftest import jpeg
    from tests.oversight.files import docx_bytes

    settings.MEDIA_ROOT, settings.DATA_DIR = tmp_path / "media", tmp_path
    reporter = personas["reporter"]
    article = services.create_article(reporter, campaign=demo, unit=reporter.unit,
                                      title="标题", body="正文")
    photo = services.add_photo(reporter, article, jpeg(), original_name="现场.jpg")
    deadline = summaries.summary_deadlines(demo)[0]
    version = summaries.submit_summary(reporter, deadline, reporter.unit,
                                       upload=summaries.Upload("总结.docx", docx_bytes()))
    client.force_login(personas["reviewer"])
    assert client.get(reverse("photo_file", kwargs={"pk": photo.pk, "size": "thumb"}))\
        .status_code == 200
    assert not AuditEntry.objects.filter(action="article.photo_download").exists()
    assert client.get(reverse("photo_file", kwargs={"pk": photo.pk, "size": "full"}))\
        .status_code == 200
    assert client.get(reverse("summary_file", kwargs={"pk": version.pk})).status_code == 200
    downloads = {e.action: e for e in AuditEntry.objects.filter(
        action__in=["article.photo_download", "summary.download"])}
    assert downloads["article.photo_download"].actor == personas["reviewer"]
    assert downloads["article.photo_download"].changes == {"photo": "现场.jpg"}
    assert downloads["summary.download"].changes == {"version": 1, "file": "总结.docx"}
