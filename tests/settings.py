"""Test settings: the real settings module, fed the environment a test run needs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("HTTPS", "0")
# Never the real data folder: uploads and imports of the tests go to a fresh temp folder.
os.environ["CAMPAIGNDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="campaigndesk-test-")

from campaigndesk.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
