"""Issue 12 point 6, second pass: the lock per address let 37 other addresses guess one
account's password (the 39th address got in), and 60 parallel POSTs from one address all
had their password checked. Past 20 failures within the hour on an account only addresses
that have logged in to it before may try; the throttle counts attempts before it checks a
password."""

import sys

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from campaigndesk.demo import DEMO_PASSWORD

from .test_address_throttle import attempt, logged_in

pytestmark = pytest.mark.django_db

OWNER_HOME = "10.9.0.200"


def test_many_addresses_cannot_guess_one_account(demo):
    owner = Client()
    assert attempt(owner, "150200", DEMO_PASSWORD, OWNER_HOME).status_code == 302
    owner.logout()
    for i in range(5):
        attempt(Client(), "150200", f"Wrong#{i}", "10.9.0.1")
    for n in range(2, 39):
        assert not logged_in_after(attempt_fresh("150200", f"Guess#{n}", f"10.9.1.{n}"))
    guesser = Client()
    response = attempt(guesser, "150200", DEMO_PASSWORD, "10.9.1.39")
    assert not logged_in(guesser)
    assert "仅允许曾成功登录过本账号的地址登录" in response.content.decode()
    # The owner, from an address that has logged in before, still gets in.
    response = attempt(owner, "150200", DEMO_PASSWORD, OWNER_HOME)
    assert response.status_code == 302
    assert logged_in(owner)


def attempt_fresh(username, password, address) -> Client:
    client = Client()
    attempt(client, username, password, address)
    return client


def logged_in_after(client) -> bool:
    return logged_in(client)


def test_parallel_attempts_from_one_address_are_counted_before_the_password(demo, settings,
                                                                              monkeypatch):
    """Each request starts while the ones before it are still checking their password (a
    request nested inside the previous one's check): only LOGIN_ADDRESS_SLOW_AFTER of 60
    get their password checked (5 here: each nested request costs a hundred stack
    frames)."""
    checked = []
    real = ModelBackend.authenticate

    def slow_check(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        if len(checked) < 60:
            attempt(Client(), f"race{len(checked):03d}", "x", "10.77.0.1")
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)
    settings.LOGIN_ADDRESS_MAX_ACCOUNTS = 1000  # the slow-down alone, not the block
    settings.LOGIN_ADDRESS_SLOW_AFTER = 5
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    try:
        attempt(Client(), "race000", "x", "10.77.0.1")
    finally:
        sys.setrecursionlimit(old_limit)
    assert len(checked) == settings.LOGIN_ADDRESS_SLOW_AFTER
