"""Point 10 and 17: request caps with a Chinese answer, CSRF on every form, escaping
everywhere, the Content-Security-Policy header and pages without inline script."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigndesk.articles import services as article_services
from campaigndesk.articles.models import Channel
from campaigndesk.units.models import Unit

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_oversized_request_gets_a_chinese_page(demo, personas, client, settings):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    client.force_login(personas["reporter"])
    big = SimpleUploadedFile("big.xlsx", b"x" * (2 * 1024 * 1024))
    response = client.post(reverse("campaign_progress_import", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}), {"file": big})
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
    assert "1 MB" in response.content.decode()


def test_too_many_files_gets_a_chinese_page(demo, personas, client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(personas["reporter"])
    files = [SimpleUploadedFile(f"{i}.jpg", b"x") for i in range(3)]
    response = client.post(reverse("campaign_progress_import", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}),
                           {"file": files})
    assert response.status_code == 400
    assert "一次上传的文件过多" in response.content.decode()


def test_htmx_gets_the_message_as_text(demo, personas, client, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(personas["reporter"])
    response = client.post(reverse("campaign_progress_import", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}),
                           {"file": SimpleUploadedFile("a.xlsx", b"x" * 4096)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", text,
                                 re.S | re.I):
            if "{% csrf_token %}" not in match.group(1):
                missing.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}")
    assert not missing


@pytest.mark.parametrize("name,kwargs,persona", [
    ("login", {}, None),
    ("campaign_unit_progress", {"code": "150100", "campaign_pk": None}, "reporter"),
    ("account_create", {}, "region_admin"),
    ("unit_create", {}, "region_admin"),
    ("password_change", {}, "reporter"),
    ("campaign_article_create", {"code": "150100", "campaign_pk": None}, "reporter"),
    ("notices", {}, "reporter"),
])
def test_posts_without_the_token_are_refused(demo, personas, name, kwargs, persona):
    client = Client(enforce_csrf_checks=True)
    if persona:
        client.force_login(personas[persona])
    if "campaign_pk" in kwargs:  # the demo campaign's number is known only at run time
        kwargs = {**kwargs, "campaign_pk": demo.pk}
    response = client.post(reverse(name, kwargs=kwargs), {"username": "150100",
                                                          "password": "x", "title": "t"})
    assert response.status_code == 403


SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def script_brief(demo, personas):
    from tests.articles.conftest import BODY, jpeg

    reporter, reviewer = personas["reporter"], personas["reviewer"]
    article = article_services.create_article(
        reporter, campaign=demo, unit=Unit.objects.get(code="150100"), title=SCRIPT,
        body=BODY + SCRIPT, place_text=SCRIPT, time_text="2022年3月18日",
        recipients_text="居民", participants_text="社工")
    for n in (1, 2):
        article_services.add_photo(reporter, article, jpeg(shapes=n * 7), caption=SCRIPT)
    article_services.submit_article(reporter, article, justification=SCRIPT)
    article_services.accept_article(reviewer, article)
    article_services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 25))
    return article


def test_a_brief_titled_script_shows_as_text_everywhere(script_brief, personas, demo):
    pages = {
        "reporter": [reverse("campaign_unit_articles",
                             kwargs={"campaign_pk": demo.pk, "code": "150100"}),
                     reverse("article_detail", kwargs={"pk": script_brief.pk}),
                     reverse("notices")],
        "reviewer": [reverse("campaign_articles", kwargs={"pk": demo.pk}),
                     reverse("article_detail", kwargs={"pk": script_brief.pk}),
                     reverse("article_wechat", kwargs={"pk": script_brief.pk})],
        None: [reverse("news_index"), reverse("news_unit", kwargs={"code": "150100"}),
               reverse("news_article", kwargs={"pk": script_brief.pk})],
    }
    for persona, urls in pages.items():
        client = Client()
        if persona:
            client.force_login(personas[persona])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = response.content.decode()
            assert SCRIPT not in text, url
            assert "alert(1)" not in text or "&lt;script&gt;alert(1)" in text, url


def test_csp_header_on_pages(demo, personas, client):
    client.force_login(personas["reporter"])
    for url in (f"/campaigns/{demo.pk}/units/150100/", reverse("news_index"), reverse("login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy


INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def test_no_inline_scripts_or_event_handlers_in_templates():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert not offenders
