"""API tests: tokens on the demo data, and a client that sends them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from campaigndesk.api import tokens
from campaigndesk.api.models import ApiToken, Scope

ALL_SCOPES = [s for s, _label in Scope.choices]


def make_token(creator, unit=None, scopes=None, name=None, days=30) -> str:
    """A token's secret, made straight in the database: also for personas whose role may
    not make tokens on the page (the permission layer must still refuse their token)."""
    secret = tokens.SECRET_PREFIX + f"test-{ApiToken.objects.count()}-" + "x" * 40
    ApiToken.objects.create(
        name=name or f"{creator.username}-{unit.code if unit else '全区'}", unit=unit,
        scopes=list(scopes or ALL_SCOPES), prefix=secret[:10],
        secret_hash=tokens.hash_secret(secret), created_by=creator,
        expires_at=timezone.now() + timedelta(days=days))
    return secret


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api_client(client):
    """call(method, path, secret=None, json=None, **extra) -> response."""

    def call(method, path, secret=None, json=None, data=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        if json is not None:
            import json as _json

            return client.generic(method.upper(), path, _json.dumps(json),
                                  content_type="application/json", **headers, **extra)
        if data is not None:
            return client.post(path, data, **headers, **extra)
        return client.generic(method.upper(), path, **headers, **extra)

    return call


@pytest.fixture
def unit_secret(personas, units):
    """The region administrator's token for 呼和浩特市 (150100), every scope."""
    return make_token(personas["region_admin"], units["150100"], name="呼市台账系统")


@pytest.fixture
def region_secret(personas):
    return make_token(personas["region_admin"], None, scopes=[Scope.READ], name="厅统计平台")
