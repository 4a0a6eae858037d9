"""Point 16: reporters' mobile numbers are masked for everyone but the unit itself and the
region administrators; exports that contain them are audited."""

import pytest
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.progress import services
from campaigndesk.progress.table import ActivityRow
from campaigndesk.security.masking import mask_phone

pytestmark = pytest.mark.django_db
PHONE, MASKED = "13812341234", "138****1234"


def test_mask_shape():
    assert mask_phone(PHONE) == MASKED
    assert mask_phone("") == "" and mask_phone("123") == "***"


@pytest.mark.parametrize("phone, shown", [
    ("+86 138 1234 1234", "138****1234"),
    ("１３８１２３４１２３４", "138****1234"),  # typed full-width
    # A landline: the area code and two digits; 3 + 4 of a 7- or 8-digit local number
    # showed the whole number (694****6872).
    ("6946872", "*****72"), ("69468721", "******21"),
    ("0471-6946872", "0471-*****72"), ("０４７５－１２３４５６７", "0475-*****67"),
    ("12345", "***45"),
])
def test_a_masked_number_never_gives_the_number_away(phone, shown):
    assert mask_phone(phone) == shown


@pytest.fixture
def submitted(demo, units, personas):
    report = services.current_report(demo, units["150100"])
    services.save_round(personas["reporter"], report, [(None, ActivityRow(name="活动"))])
    services.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone=PHONE)
    personas["reporter"].phone = PHONE
    personas["reporter"].save(update_fields=["phone"])
    return report


@pytest.mark.parametrize(("persona", "full"), [
    ("reporter", True), ("region_admin", True), ("superuser", True), ("reviewer", False),
])
def test_version_page(submitted, personas, client, persona, full):
    client.force_login(personas[persona])
    text = client.get(reverse("report_version", kwargs={"pk": submitted.pk, "number": 1})
                      ).content.decode()
    assert (PHONE in text) is full
    assert (MASKED in text) is (not full)


def test_account_list_is_for_administrators_who_see_it_whole(submitted, personas, client):
    client.force_login(personas["region_admin"])
    assert PHONE in client.get(reverse("account_list")).content.decode()


def test_no_page_of_the_reviewer_shows_the_whole_number(submitted, personas, client):
    client.force_login(personas["reviewer"])
    for url in (reverse("report_detail", kwargs={"pk": submitted.pk}),
                reverse("campaign_progress", kwargs={"pk": submitted.deadline.campaign_id}),
                reverse("campaign_unit_progress", kwargs={
                    "campaign_pk": submitted.deadline.campaign_id, "code": "150100"}),
                reverse("report_version", kwargs={"pk": submitted.pk, "number": 1})):
        assert PHONE not in client.get(url).content.decode(), url


def test_exports_with_the_number_are_audited(submitted, personas, client):
    client.force_login(personas["reviewer"])
    client.get(reverse("report_xlsx", kwargs={"pk": submitted.pk}) + "?v=1")
    entry = AuditEntry.objects.get(action="progress.export")
    assert entry.actor_id == personas["reviewer"].pk and entry.address == "127.0.0.1"
