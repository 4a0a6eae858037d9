"""Issue 12 point 12: behind nginx every entry showed 127.0.0.1. With BEHIND_PROXY=1 the
client's address comes from the proxy's header, trusting only the configured proxy hops."""

import ipaddress

import pytest
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.security.models import AccountLock, LoginAttempt

pytestmark = pytest.mark.django_db


def fail_login(client, username="150100", **headers):
    return client.post(reverse("login"), {"username": username, "password": "Wrong#Pass1"},
                       **headers)


def recorded_address() -> tuple[str, str]:
    entry = AuditEntry.objects.filter(action="auth.login_failed").latest("id")
    return entry.address, LoginAttempt.objects.latest("id").address


def test_behind_the_proxy_audit_and_lock_show_the_client(demo, client, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        fail_login(client, REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    # The entry nginx appended, not the one the client made up, nor the proxy's own.
    assert recorded_address() == ("203.0.113.9", "203.0.113.9")
    assert AccountLock.objects.get(username="150100").address == "203.0.113.9"
    assert AuditEntry.objects.get(action="security.lock").address == "203.0.113.9"


def test_without_behind_proxy_the_header_is_ignored(demo, client, settings):
    settings.BEHIND_PROXY = False
    fail_login(client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert recorded_address() == ("198.51.100.4", "198.51.100.4")


def test_a_header_from_outside_the_proxy_is_not_believed(demo, client, settings):
    """Someone reaching gunicorn directly cannot pick their address by sending the header."""
    settings.BEHIND_PROXY = True
    fail_login(client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert recorded_address() == ("198.51.100.4", "198.51.100.4")


def test_two_hops_and_another_header(demo, client, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_HOPS = 2
    settings.PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    fail_login(client, REMOTE_ADDR="10.1.1.1",
               HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.2.2.2")
    assert recorded_address()[0] == "203.0.113.9"
    settings.PROXY_HOPS = 1
    settings.PROXY_CLIENT_HEADER = "X-Real-IP"
    fail_login(client, REMOTE_ADDR="10.1.1.1", HTTP_X_REAL_IP="[2001:db8::7]:51000",
               HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert recorded_address()[0] == "2001:db8::7"


def test_garbage_in_the_header_falls_back_to_the_peer(demo, client, settings):
    settings.BEHIND_PROXY = True
    fail_login(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>, not-an-ip")
    assert recorded_address() == ("127.0.0.1", "127.0.0.1")


def test_a_change_behind_the_proxy_names_the_client(personas, client, settings):
    settings.BEHIND_PROXY = True
    client.force_login(personas["region_admin"])
    unit = personas["reporter"].unit
    client.post(reverse("unit_active", kwargs={"pk": unit.pk}), {"active": "0"},
                REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert AuditEntry.objects.filter(action="unit.update").latest("id").address == "203.0.113.50"


def test_a_proxy_address_that_is_not_one_stops_start_up(tmp_path):
    from tests.test_settings import load_settings

    result = load_settings(tmp_path, BEHIND_PROXY="1", PROXY_ADDRESSES="127.0.0.1,nginx")
    assert result.returncode != 0 and "PROXY_ADDRESSES" in result.stderr
