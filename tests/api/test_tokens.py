"""API tokens: made by region administrators on the web, shown once, stored hashed,
expiring, revocable, listed with their last use, rate-limited per token."""

import re
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaigndesk.api.models import ApiToken
from campaigndesk.audit.models import AuditEntry

from .conftest import make_token


def _create(client, **fields):
    data = {"name": "盟市统计系统", "unit": "", "scopes": ["read"], "days": "30"} | fields
    return client.post(reverse("api_tokens"), data)


def _secret(response) -> str:
    found = re.search(r'<code id="token-secret">([^<]+)</code>', response.content.decode())
    assert found, "the new token's secret is shown on the answer"
    return found.group(1)


def test_region_admin_makes_a_token_shown_once_and_stored_hashed(demo, personas, units,
                                                                 as_user, api_client):
    client = as_user(personas["region_admin"])
    response = _create(client, unit=str(units["150100"].pk),
                       scopes=["read", "write-progress"])
    assert response.status_code == 200
    secret = _secret(response)
    token = ApiToken.objects.get()
    assert token.unit == units["150100"] and token.scopes == ["read", "write-progress"]
    assert secret.startswith(token.prefix)
    # Nowhere in the database, nowhere in the audit log: only its hash.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        assert secret not in repr(cursor.fetchall())
    entry = AuditEntry.objects.get(action="api.token_create")
    assert secret not in repr(entry.changes) + entry.message
    assert entry.changes["name"] == "盟市统计系统" and entry.actor == personas["region_admin"]
    # Listed without the secret from then on.
    listing = client.get(reverse("api_tokens")).content.decode()
    assert secret not in listing and token.prefix in listing and "呼和浩特市" in listing
    # It works, its answers are kept by no cache, and the list shows when it was last used.
    answer = api_client("get", "/api/v1/units", secret)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M") in \
        client.get(reverse("api_tokens")).content.decode()


def test_the_form_says_what_is_missing(demo, personas, as_user):
    client = as_user(personas["region_admin"])
    page = _create(client, name="", scopes=[], days="0").content.decode()
    assert "请填写令牌名称" in page or "这个字段是必填项" in page
    assert ApiToken.objects.count() == 0


def test_only_region_administrators_open_the_token_pages(demo, personas, as_user):
    for persona in ("reviewer", "reporter", "auditor", "security_admin"):
        client = as_user(personas[persona])
        assert client.get(reverse("api_tokens")).status_code == 403
        assert _create(client).status_code == 403
    assert ApiToken.objects.count() == 0
    # The account page links to it for those who may use it.
    page = as_user(personas["region_admin"]).get(reverse("account_list")).content.decode()
    assert reverse("api_tokens") in page


def test_revoked_and_expired_tokens_are_refused(demo, personas, as_user, api_client):
    client = as_user(personas["region_admin"])
    secret = _secret(_create(client))
    assert api_client("get", "/api/v1/campaigns", secret).status_code == 200
    token = ApiToken.objects.get()
    response = client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert "已吊销令牌" in response.content.decode()
    refused = api_client("get", "/api/v1/campaigns", secret)
    assert refused.status_code == 401 and "吊销" in refused.json()["detail"]
    assert AuditEntry.objects.filter(action="api.token_revoke").count() == 1
    again = client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert "该令牌已被吊销" in again.content.decode()
    assert AuditEntry.objects.filter(action="api.token_revoke").count() == 1

    expired = make_token(personas["region_admin"])
    ApiToken.objects.filter(expires_at__gt=timezone.now()).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client("get", "/api/v1/campaigns", expired).status_code == 401


def test_rate_limit_per_token_with_retry_after(demo, personas, settings, api_client):
    import time_machine

    settings.API_RATE_LIMIT_PER_MINUTE = 3
    busy = make_token(personas["region_admin"], name="忙碌的系统")
    calm = make_token(personas["region_admin"], name="安静的系统")
    # 20 seconds into a minute, frozen: the one-minute window cannot roll over mid-test.
    with time_machine.travel(timezone.now().replace(second=20), tick=False):
        for _ in range(3):
            assert api_client("get", "/api/v1/units", busy).status_code == 200
        refused = api_client("get", "/api/v1/units", busy)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "40"
        assert "每分钟最多 3 次" in refused.json()["detail"]
        # Another token is counted on its own.
        assert api_client("get", "/api/v1/units", calm).status_code == 200


def test_only_region_administrators_make_tokens_in_the_service(demo, personas, units):
    import pytest
    from django.core.exceptions import PermissionDenied

    from campaigndesk.api import tokens

    for persona in ("reviewer", "reporter", "security_admin"):
        with pytest.raises(PermissionDenied):
            tokens.create_token(personas[persona], name="x", unit=None, scopes=["read"],
                                days=1)
    made = tokens.create_token(personas["superuser"], name="x", unit=units["150100"],
                               scopes=["read"], days=1)
    assert made.token.secret_hash == tokens.hash_secret(made.secret)
