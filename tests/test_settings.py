"""The settings refuse values they cannot understand, naming the variable."""

import os
import subprocess
import sys

import pytest


def clean_environment() -> dict:
    """Only what a process needs to run, so the test run's own settings do not leak in."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update(GOOD)
    return environment


GOOD = {
    "SECRET_KEY": "k" * 50,
    "DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "campaigndesk.settings",
}


def load_settings(tmp_path, **env):
    environment = clean_environment()
    environment["CAMPAIGNDESK_DATA_DIR"] = str(tmp_path)
    environment.update(env)
    environment = {k: v for k, v in environment.items() if v is not None}
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.TIME_ZONE,"
        " settings.LANGUAGE_CODE, settings.SESSION_COOKIE_SECURE)"
    )
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=60)


def test_good_environment_gives_sqlite_in_the_data_folder_and_production_defaults(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "Asia/Shanghai",
                                     "zh-hans", "True"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://host/"}, "DATABASE_URL"),
        ({"SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "x"}, "EMAIL_PORT"),
        ({"CAMPAIGNDESK_DEMO": "perhaps"}, "CAMPAIGNDESK_DEMO"),
    ],
)
def test_bad_value_stops_start_up_and_names_the_variable(tmp_path, env, named):
    result = load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_postgres_url_is_understood(tmp_path):
    from campaigndesk.settings import database_from_url

    db = database_from_url("postgres://cd:p%40ss@db.internal:5433/campaigndesk?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "cd", "p@ss", "db.internal", "5433", "campaigndesk")
    # A lock held by another transaction is waited for 20 s at most, as on SQLite.
    assert db["OPTIONS"] == {"sslmode": "require", "options": "-c lock_timeout=20s"}
    own = database_from_url("postgres://cd@db/campaigndesk?options=-c%20lock_timeout%3D5s")
    assert own["OPTIONS"] == {"options": "-c lock_timeout=5s"}


def test_production_settings_pass_the_deploy_check(tmp_path):
    environment = clean_environment()
    environment.update(CAMPAIGNDESK_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="campaign.example.gov.cn",
                       SECRET_KEY="a-real-secret-" + "q7Z!x" * 10)
    result = subprocess.run(
        [sys.executable, "-m", "campaigndesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only check; this leg runs on " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout = cursor.fetchone()[0]
    # The test database is in memory, where SQLite keeps the "memory" journal; the file
    # database of a real run is checked in test_commands.
    assert mode in {"wal", "memory"}
    assert timeout == 20000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
