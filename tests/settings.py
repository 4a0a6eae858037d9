"""Test settings: the real settings module, fed the environment a test run needs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("HTTPS", "0")
# Never the real data folder: uploads and imports of the tests go to a fresh temp folder.
os.environ["CAMPAIGNDESK_DATA_DIR"] = (os.environ.get("CAMPAIGNDESK_TEST_DATA_DIR")
                                      or tempfile.mkdtemp(prefix="campaigndesk-test-"))

from campaigndesk.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only

# The background job tests start real worker processes on the test database: SQLite's test
# database is a file (in the run's temp folder) so that they can open it too, and a worker
# started by a test gets that test's data folder (CAMPAIGNDESK_TEST_DATA_DIR) to put files in.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.jobs"]  # noqa: F405
