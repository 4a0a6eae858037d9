"""Query shapes: pages and runs cost the same number of queries however many units there are."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.oversight import dashboard, manual, reminders
from campaigndesk.oversight.models import ReminderSettings
from campaigndesk.units.models import Unit, User

from .conftest import beijing


def test_overview_reads_geo_parents_with_the_units(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    url = reverse("campaign_overview", kwargs={"pk": demo.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    unit_table = f'FROM "{Unit._meta.db_table}" WHERE'
    assert not [q for q in queries if q["sql"].startswith("SELECT") and unit_table in q["sql"]
                and "LIMIT 21" in q["sql"]]


def test_matrix_without_page_has_every_unit(sample_demo):
    units = dashboard.scope_units(sample_demo, dashboard.Filters())
    now = timezone.now()
    whole = dashboard.matrix(sample_demo, units, page=None, now=now)
    assert whole.page is None
    assert [u for u, _ in whole.rows] == list(units)
    paged = dashboard.matrix(sample_demo, units, per_page=5, now=now)
    assert paged.page.paginator.count == units.count()
    assert whole.rows[:5] == paged.rows
    assert [r.submitted for r in whole.rates] == [r.submitted for r in paged.rates]
    with CaptureQueriesContext(connection) as queries:
        dashboard.matrix(sample_demo, units, page=None)
    # deadlines, submissions (units as a subquery), units, rate counts, expected, deadlines
    assert len(queries) <= 6
    assert all("IN (SELECT" in q["sql"] for q in queries if "campaigns_submission" in q["sql"]
               and "unit_id" in q["sql"])


def test_screen_total_is_the_participants_total(sample_demo):
    total = dashboard.participants_total(sample_demo)
    lines, _scope = dashboard.by_unit(sample_demo, dashboard.Filters())
    assert total == dashboard.total_of(lines)
    assert total == dashboard.overall(dashboard.activities(sample_demo, dashboard.Filters()))


def test_reminders_read_the_accounts_once(contacts):
    deadline = contacts.deadlines.order_by("due_at").first()
    with time_machine.travel(beijing(3, 24, 15, 30), tick=False):
        with CaptureQueriesContext(connection) as queries:
            run = manual.remind_now(None, deadline)
    assert manual.report(run).reached == contacts.participants.count() > 1
    user_table = f'FROM "{User._meta.db_table}"'
    assert len([q for q in queries if user_table in q["sql"]]) == 1


def test_save_settings_stores_and_audits_in_one_go(demo, personas):
    admin = personas["region_admin"]
    options = reminders.save_settings(admin, demo, offsets=[], send_late=False, send_sms=True)
    assert options.offsets_text == "24,2"
    options = reminders.save_settings(admin, demo, offsets=[48, 2], send_late=True,
                                      send_sms=False)
    stored = ReminderSettings.objects.get(campaign=demo)
    assert (stored.offsets_text, stored.send_late, stored.send_sms) == ("48,2", True, False)
    entry = AuditEntry.objects.filter(action="reminder.settings").first()
    assert entry.changes == {"offsets": ["24,2", "48,2"], "late": [False, True],
                             "sms": [True, False]}
