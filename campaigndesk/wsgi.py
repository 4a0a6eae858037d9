"""WSGI entry for gunicorn: `gunicorn campaigndesk.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from campaigndesk import filemodes

# Before anything writes: every file and folder the server creates is owner-only.
filemodes.owner_only_from_now()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaigndesk.settings")
application = get_wsgi_application()
