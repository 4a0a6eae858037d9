"""Issue 12 point 15, second pass: `make run` showed Django's debug pages.

The local run environment had DEBUG on, so a stranger trying the demo got the technical 404
with the whole URL list, DisallowedHost with the settings, and the debug CSRF 403, although
README says the demo shows Chinese pages. The local environment now runs with DEBUG off
(static files from the app folders through WhiteNoise, plain HTTP cookies, 127.0.0.1 and
localhost allowed), and a CSRF refusal is Chinese whatever DEBUG says.

The real console script runs in a subprocess from a project folder after `make install`
(tests/test_local_env.py), so the settings are exactly those of `make run`.
"""

import json

from tests.test_local_env import project, run  # noqa: F401

PROBE = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
def page(response):
    return {"status": response.status_code, "text": response.content.decode()[:20000]}
static = client.get("/static/campaigndesk/site.js")
print(json.dumps({
    "debug": settings.DEBUG, "secure_cookie": settings.SESSION_COOKIE_SECURE,
    "nope": page(client.get("/nope/")),
    "bad_host": page(Client(HTTP_HOST="evil.example").get("/")),
    "csrf": page(client.post("/login/", {"username": "x", "password": "y"})),
    "home": page(Client(HTTP_HOST="localhost").get("/login/")),
    "static": static.status_code,
}))
"""


def test_the_local_demo_shows_chinese_error_pages_not_debug_ones(project):  # noqa: F811
    result = run(["shell", "-v", "0", "-c", PROBE], cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False and seen["secure_cookie"] is False
    assert seen["nope"]["status"] == 404 and "页面不存在" in seen["nope"]["text"]
    assert seen["bad_host"]["status"] == 400 and "无法处理的请求" in seen["bad_host"]["text"]
    assert seen["csrf"]["status"] == 403 and "请刷新页面后重新提交" in seen["csrf"]["text"]
    for name in ("nope", "bad_host", "csrf"):
        text = seen[name]["text"]
        assert "URLconf" not in text and "DisallowedHost" not in text
        assert "CSRF verification failed" not in text and "settings.py" not in text
    assert seen["home"]["status"] == 200 and "/static/campaigndesk/" in seen["home"]["text"]
    assert seen["static"] == 200
