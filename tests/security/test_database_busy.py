"""Issue 12 point 8: a database held by another writer.

With a writer holding the SQLite lock, a grid submit answered an English "Server Error (500)"
after the busy timeout and the typed rows were gone, and every logged-in GET failed because
the session was written on every request. Now pages still open, and a save answers 503
"系统繁忙，请稍后再试" with the input kept and nothing saved.

SQLite runs in a child process on a real file (the suite's test database is in memory),
with the production settings and a 1 s busy timeout so the test does not wait 20 s. The
PostgreSQL test holds a table lock from a second connection, with a 1 s lock timeout.
"""

import json
import re
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from tests.test_settings import clean_environment

CHILD = textwrap.dedent('''
    import json, re, sqlite3
    import django
    django.setup()
    from django.conf import settings
    options = settings.DATABASES["default"]["OPTIONS"]
    options["timeout"] = 1
    options["init_command"] = options["init_command"].replace("busy_timeout=20000",
                                                              "busy_timeout=1000")
    # Production settings otherwise; static files without collectstatic's manifest.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from campaigndesk.demo import DEMO_PASSWORD, load_demo
    load_demo(samples=False)
    from django.test import Client
    from campaigndesk.articles.models import Article
    from campaigndesk.progress.models import Activity

    client = Client()
    assert client.login(username="150100", password=DEMO_PASSWORD)
    from campaigndesk.campaigns.models import Campaign

    unit_url = f"/campaigns/{Campaign.objects.get(year=2022).pk}/units/150100/"
    grid_url = unit_url + "progress/"
    revision = re.search(r'name="revision" value="(\\d*)"',
                         client.get(grid_url).content.decode()).group(1)

    holder = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=1)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the write lock
    pages = {url: client.get(url).status_code
             for url in (unit_url, grid_url, unit_url + "articles/", "/notices/")}
    grid = client.post(grid_url, {
        "row_count": "1", "action": "save", "revision": revision, "r-0-id": "",
        "r-0-name": "锁库期间录入的活动", "r-0-organizations": "青禾社工服务中心",
        "r-0-participants": "12", "r-0-dates": "3月18日", "r-0-location": "昭乌达路社区",
        "r-0-content": "发放宣传册", "r-0-service_areas": "老年人", "r-0-beneficiaries": "150",
        "r-0-funds": "0", "r-0-materials": "无", "r-0-remarks": ""})
    brief = client.post(unit_url + "articles/new/", {
        "title": "锁库期间写的标题", "body": "锁库期间写的正文。"})
    holder.rollback()
    holder.close()
    print(json.dumps({
        "pages": pages,
        "grid": [grid.status_code, grid.content.decode()],
        "brief": [brief.status_code, brief.content.decode()],
        "saved": Activity.objects.filter(name="锁库期间录入的活动").count()
                 + Article.objects.filter(title="锁库期间写的标题").count(),
        "after": client.get(grid_url).status_code,
    }, ensure_ascii=False))
''')


@pytest.fixture(scope="module")
def sqlite_outcome(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("busy")
    environment = clean_environment() | {
        "CAMPAIGNDESK_DATA_DIR": str(data_dir), "ALLOWED_HOSTS": "testserver", "HTTPS": "0",
        "CAMPAIGNDESK_DEMO": "1"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", CHILD], env=environment,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pages_still_open_while_another_writer_holds_the_lock(sqlite_outcome):
    assert sqlite_outcome["pages"] == dict.fromkeys(sqlite_outcome["pages"], 200)


def test_the_grid_comes_back_as_typed_with_try_again(sqlite_outcome):
    status, page = sqlite_outcome["grid"]
    assert status == 503
    assert "系统繁忙，请稍后再试" in page
    assert 'value="锁库期间录入的活动"' in page and ">青禾社工服务中心</textarea>" in page
    assert "Server Error" not in page
    assert sqlite_outcome["saved"] == 0
    assert sqlite_outcome["after"] == 200


def test_any_other_form_offers_to_send_the_input_again(sqlite_outcome):
    status, page = sqlite_outcome["brief"]
    assert status == 503
    assert "系统繁忙，请稍后再试" in page and "重新提交" in page
    assert 'name="title" value="锁库期间写的标题"' in page
    assert re.search(r'action="/campaigns/\d+/units/150100/articles/new/"', page)


@pytest.mark.django_db(transaction=True)
def test_postgresql_lock_timeout_keeps_the_grid(demo, personas, client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: lock_timeout")
    from campaigndesk.progress.models import Activity
    from tests.test_progress_web import GOOD, grid_post

    client.force_login(personas["reporter"])
    url = reverse("campaign_unit_progress", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    client.get(url)
    locked, release = threading.Event(), threading.Event()

    def holder():
        # Another transaction holding the activity table against writers for a while.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("LOCK TABLE progress_activity IN EXCLUSIVE MODE")
                locked.set()
                release.wait(30)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        response = client.post(url, grid_post([GOOD]))
    finally:
        release.set()
        thread.join()
    assert response.status_code == 503
    page = response.content.decode()
    assert "系统繁忙，请稍后再试" in page and f'value="{GOOD[0]}"' in page
    assert not Activity.objects.filter(name=GOOD[0]).exists()
