"""Issue 12 points 8 and 14, second pass: auditing 403/404 must not hang or flood.

A 403/404 on an object URL writes an audit entry on a GET. While another writer held the
SQLite lock such a GET hung ~20 s (the busy timeout), and one client could add rows without
limit. Now the entry is written only if the lock is free at once (dropped and logged
otherwise), and at most once per client and URL per minute, 30 per client per minute.
"""

import json
import subprocess
import sys
import textwrap

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.security import refusals
from tests.test_settings import clean_environment

CHILD = textwrap.dedent('''
    import json, sqlite3, time
    import django
    django.setup()
    from django.conf import settings
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from campaigndesk.demo import DEMO_PASSWORD, load_demo
    load_demo(samples=False)
    from django.test import Client
    from campaigndesk.audit.models import AuditEntry
    from campaigndesk.campaigns.models import Campaign

    client = Client()
    assert client.login(username="150100", password=DEMO_PASSWORD)
    other = f"/campaigns/{Campaign.objects.get(year=2022).pk}/units/150200/progress/"
    before = AuditEntry.objects.filter(action="access.not_found").count()
    holder = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=1)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the write lock
    start = time.monotonic()
    status = client.get(other).status_code
    seconds = time.monotonic() - start
    holder.execute("ROLLBACK")
    after = AuditEntry.objects.filter(action="access.not_found").count()
    print(json.dumps({"status": status, "seconds": seconds, "written": after - before}))
''')


def test_a_refusal_while_the_database_is_locked_answers_at_once(tmp_path):
    environment = clean_environment() | {"CAMPAIGNDESK_DATA_DIR": str(tmp_path),
                                         "CAMPAIGNDESK_DEMO": "1",
                                         "ALLOWED_HOSTS": "testserver", "HTTPS": "0"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", CHILD], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 404 and outcome["seconds"] < 2
    assert outcome["written"] == 0  # dropped, not waited for


@pytest.mark.django_db
def test_repeated_refusals_are_written_once_per_url_and_capped(demo, personas, client):
    cache.clear()
    client.force_login(personas["reporter"])
    other = reverse("unit_progress", kwargs={"code": "150200"})
    for _ in range(5):
        assert client.get(other).status_code == 404
    refused = AuditEntry.objects.filter(action="access.not_found")
    assert refused.count() == 1
    for n in range(refusals.PER_CLIENT + 10):
        client.get(reverse("report_reopen", kwargs={"pk": 900000 + n}))
    assert AuditEntry.objects.filter(action__startswith="access.").count() == refusals.PER_CLIENT
    # Another client is counted apart.
    client.force_login(personas["other_reporter"])
    client.get(reverse("unit_progress", kwargs={"code": "150100"}))
    assert refused.filter(actor=personas["other_reporter"]).count() == 1
