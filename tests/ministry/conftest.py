"""The ministry's installation: MINISTRY_MODE on, and an account of 民政部."""

import pytest

from campaigndesk.units.models import Role, User
from tests.test_reported_figures import year  # noqa: F401  (the figures' campaign)


@pytest.fixture
def ministry_mode(settings):
    settings.MINISTRY_MODE = True


@pytest.fixture
def ministry_user(db, ministry_mode):
    return User.objects.create_user("mca-staff", password="Mca#2022staff", role=Role.MINISTRY,
                                    full_name="民政部工作人员")


@pytest.fixture
def package_bytes(year, personas, as_user):  # noqa: F811
    """The region's package, made and downloaded as its reviewer does: the button starts the
    job, its page offers the file."""
    from django.urls import reverse

    from tests.jobs.helpers import download

    return download(as_user(personas["reviewer"]),
                    reverse("campaign_ministry", kwargs={"pk": year.pk}))
