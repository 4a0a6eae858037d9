"""Issue 12 point 15: no input answers 500.

`?v=abc` on a report download gave 500. This walks every URL of the site (get_resolver(),
through the permission matrix's builders, which fill path parameters with real objects),
as a region administrator and as a reporter, GET and POST (with the CSRF token), with
every query and form parameter the code reads set to values of the wrong type: letters for
numbers, numbers too large for any column, negative pages, empty strings, unicode, NUL,
very long strings, lists. Anything but a 500 is fine: the point is a clear answer.
"""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from campaigndesk.progress import grid
from tests.security.matrix import draft_brief
from tests.test_permissions import MATRIX, all_url_names, objects  # noqa: F401 (fixture)

HUGE = "9999999999999999999"
JUNK = ["abc", "-1", HUGE, "", "1.5e309", "１２", "²", "𠀀😀\u202e<b>", "\x00", "x" * 5000,
        "2022-13-45", ["1", "abc"]]
# Never posted to: ends the session the walk runs in.
SKIPPED = {"logout"}
# Rows whose brief must still be editable for the POST to reach the form handling.
ON_A_DRAFT = {"article_edit", "article_check", "article_submit", "photo_add"}
SOURCE = Path(settings.BASE_DIR)
READS = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist|\.pop)?[\(\[]\s*[\"']([\w-]+)[\"']")


def parameter_names() -> set[str]:
    """Every query or form parameter the code reads, from the source and the forms."""
    import campaigndesk.articles.forms  # noqa: F401
    import campaigndesk.audit.views  # noqa: F401
    import campaigndesk.campaigns.forms  # noqa: F401
    import campaigndesk.security.forms  # noqa: F401
    import campaigndesk.units.forms  # noqa: F401

    names = {m.group(1) for path in SOURCE.rglob("*.py") for m in READS.finditer(
        path.read_text(encoding="utf-8"))}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in subclasses(forms.BaseForm):
        if form.__module__.startswith("campaigndesk."):
            names |= set(getattr(form, "base_fields", {}))
    names |= {"row_count", "r-0-id", "pk", "id", "code"} | {f"r-0-{k}" for k in grid.KEYS}
    return names


def test_the_walk_covers_every_url_and_many_parameters():
    assert all_url_names() == set(MATRIX)
    names = parameter_names()
    assert {"v", "page", "a", "b", "ids", "revision", "reason", "title", "username",
            "r-0-participants", "date_from"} <= names


@pytest.fixture
def walk(objects, personas, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT, settings.DATA_DIR = tmp_path / "media", tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CAMPAIGNDESK_SMS_BACKEND = "campaigndesk.oversight.sms.MemorySmsBackend"
    return objects


def url_of(name: str, f: dict, huge: bool = False) -> str:
    kwargs = ({"pk": draft_brief(f).pk} if name in ON_A_DRAFT else MATRIX[name][0](f))
    if huge:
        kwargs = {k: int(HUGE) if isinstance(v, int) else v for k, v in kwargs.items()}
    return reverse(name, kwargs=kwargs)


def answer(client: Client, method: str, url: str, data: dict) -> str | None:
    """None for any answer but a 500; else what went wrong."""
    try:
        if method == "GET":
            response = client.get(url, data)
        else:
            data = dict(data, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
            response = client.post(url, data)
    except Exception as exc:  # noqa: BLE001 - the walk reports every crash at once
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return f"status {response.status_code}" if response.status_code >= 500 else None


def walk_urls(name: str, urls: tuple[str, str], personas: dict, names: list[str]) -> list[str]:
    failures = []
    for persona in ("region_admin", "reporter"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas[persona])
        client.get(reverse("password_change"))  # sets the CSRF cookie
        url, huge = urls
        for method in ("GET", "POST"):
            attempts = [(url, dict.fromkeys(names, junk)) for junk in JUNK]
            if huge != url:  # an id beyond any column's range, in the path
                attempts.append((huge, {}))
            for target, data in attempts:
                problem = answer(client, method, target, data)
                if problem:
                    shown = repr(next(iter(data.values()), ""))[:40]
                    failures.append(f"{persona} {method} {target} {shown}: {problem}")
    return failures


# Ten URLs a test: the demo is loaded once for each group, not once for each URL.
NAMES = sorted(set(MATRIX) - SKIPPED)
GROUPS = [NAMES[i:i + 10] for i in range(0, len(NAMES), 10)]


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: f"{group[0]}…{group[-1]}")
def test_junk_parameters_never_answer_500(group, walk, personas):
    names = sorted(parameter_names())
    # Every object the group's URLs name is made before any junk is sent: junk posted to one
    # URL (unit_active) may deactivate the unit whose reporter would make the next object.
    urls = {name: (url_of(name, walk), url_of(name, walk, huge=True)) for name in group}
    failures = [failure for name in group
                for failure in walk_urls(name, urls[name], personas, names)]
    assert failures == []


def test_a_report_download_with_v_abc_is_not_found(walk, personas, client):
    client.force_login(personas["reporter"])
    url = reverse("report_xlsx", kwargs={"pk": walk["report"].pk})
    assert client.get(url, {"v": "abc"}).status_code == 404
    assert client.get(url, {"v": "1"}).status_code == 200


def test_nul_characters_and_huge_ids_get_a_chinese_400(walk, personas, client):
    client.force_login(personas["region_admin"])
    nul = client.get(reverse("campaign_dashboard", kwargs={"pk": walk["campaign"].pk}),
                     {"unit": "150100\x00"})
    assert nul.status_code == 400 and "控制字符" in nul.content.decode()
    huge = client.post(reverse("campaign_edit", kwargs={"pk": walk["campaign"].pk}),
                       {"participants": [HUGE], "year": "2022"})
    if connection.vendor == "sqlite":  # SQLite cannot bind the number: refused outright
        assert huge.status_code == 400 and "数字超出范围" in huge.content.decode()
    else:  # PostgreSQL finds no such unit: the form says what is wrong
        assert huge.status_code == 200 and "errorlist" in huge.content.decode()
