"""Oversight tests: e-mail in memory, uploads and summaries in a temporary data folder."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigndesk.oversight.sms import MemorySmsBackend
from campaigndesk.units.models import Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CAMPAIGNDESK_SMS_BACKEND = "campaigndesk.oversight.sms.MemorySmsBackend"
    settings.CAMPAIGNDESK_SITE_URL = "https://desk.example.org"
    MemorySmsBackend.outbox.clear()
    return tmp_path


@pytest.fixture
def contacts(demo):
    """Every reporter gets an e-mail address and a mobile number (the demo has none)."""
    for n, user in enumerate(User.objects.filter(role=Role.REPORTER).order_by("username")):
        user.email = f"{user.username}@example.org"
        user.phone = f"138000{n:05d}"
        user.save(update_fields=["email", "phone"])
    return demo


@pytest.fixture
def sample_demo(db, settings):
    """The demo with its samples: three bureaus' first-week reports and a few briefs."""
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.demo import load_demo

    settings.DEMO_MODE = True
    load_demo(samples=True)
    return Campaign.objects.get(year=2022)
