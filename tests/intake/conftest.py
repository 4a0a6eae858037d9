"""The intake tests: a real dovecot per test process, an empty INBOX per test."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from .dovecot import Server, Unavailable

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="session")
def imap_server():
    try:
        server = Server().start()
    except Unavailable as exc:
        pytest.skip(f"no IMAP server for the mail intake tests: {exc}")
    yield server
    server.stop()


@pytest.fixture
def stored(settings, tmp_path):
    """Attachments, photos and previews in a folder of this test's own."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path


@pytest.fixture
def mailbox(imap_server, settings, stored):
    imap_server.clear()
    settings.MAIL_INTAKE = imap_server.config
    return imap_server


def beijing(month: int, day: int, hour: int, minute: int = 0, year: int = 2022) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def table(*names: str, reporter: str = "王芳", phone: str = "13800001234") -> bytes:
    """The unit's filled attachment 1, as the product's own download writes it."""
    from campaigndesk.progress import excel_out
    from campaigndesk.progress.table import ActivityRow

    rows = [ActivityRow(name=name, organizations=["赛罕区社工站"], participants=10,
                        start=date(2022, 3, 18), end=date(2022, 3, 18), location="昭乌达路社区",
                        content="宣传", service_areas=["老年人"], beneficiaries=100)
            for name in names]
    out = io.BytesIO()
    excel_out.write_unit_report(out, unit_name="呼和浩特市", reporter_name=reporter,
                                reporter_phone=phone, filled_date=date(2022, 3, 24), rows=rows)
    return out.getvalue()
