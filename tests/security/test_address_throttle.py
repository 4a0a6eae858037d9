"""Issue 12 point 6: 70 anonymous requests locked all 14 bureaus for 15 minutes, again and
again. The account lock stays (等保); a throttle per source address slows and then blocks an
address failing many accounts; the right password (and second factor) from an address that
had no part in a lock still gets in; the operator can always lift a lock from the command
line."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.security.models import AccountLock, AddressBlock
from campaigndesk.units.models import Role, Unit, User
from tests.security.test_otp import code_for, enrol

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
WRONG = "Wrong#Guess1"


def attempt(client, username, password=WRONG, address=ATTACKER):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def bureaus(demo) -> list[str]:
    names = list(User.objects.filter(role=Role.REPORTER, unit__in=Unit.objects.reporting())
                 .order_by("username").values_list("username", flat=True))
    assert len(names) == 14
    return names


@pytest.mark.parametrize("order", ["five_each_in_turn", "round_robin"])
def test_a_thousand_failures_in_a_minute_leave_the_14_bureaus_able_to_log_in(bureaus, order):
    """1,000 failing log-ins from one address spread over 60 simulated seconds, against the
    14 bureau accounts; then each bureau logs in from its own address."""
    if order == "five_each_in_turn":  # lock one account after the other, as the attack did
        target = [bureaus[(i // 5) % 14] for i in range(1000)]
    else:
        target = [bureaus[i % 14] for i in range(1000)]
    attacker = Client()
    statuses = Counter()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for i, username in enumerate(target):
            clock.move_to(start + timedelta(seconds=60 * i / 1000))
            response = attempt(attacker, username)
            statuses[response.status_code] += 1
            if response.status_code == 429:
                assert "请" in response.content.decode() and response["Retry-After"].isdigit()
        clock.move_to(start + timedelta(seconds=61))
        assert set(statuses) <= {200, 429}, statuses
        assert statuses[429] >= 970, statuses  # most of the flood never reached a password
        for number, username in enumerate(bureaus):
            bureau = Client()
            response = attempt(bureau, username, DEMO_PASSWORD, f"10.15.{number}.20")
            assert response.status_code == 302, (username, response.status_code)
            assert logged_in(bureau), username
            assert bureau.get(response["Location"], follow=True).status_code == 200
    locked = set(AccountLock.objects.values_list("username", flat=True))
    if order == "five_each_in_turn":
        # The account lock still works: the first accounts were locked, for the attacker.
        assert {bureaus[0], bureaus[1]} <= locked and len(locked) <= 4
        assert AuditEntry.objects.filter(action="security.lock_passed").count() == len(locked)
    else:
        assert AddressBlock.objects.filter(source=ATTACKER).count() == 1


def test_the_throttle_slows_an_address_with_a_chinese_429(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for number in range(10):
            assert attempt(client, f"guess{number % 3}").status_code == 200
        response = attempt(client, "guess0")
        assert response.status_code == 429
        text = response.content.decode()
        assert "登录尝试过于频繁" in text and "请 1 秒后再试" in text
        assert response["Retry-After"] == "1"
        clock.shift(timedelta(seconds=1))
        assert attempt(client, "guess1").status_code == 200  # 11th failure: now 2 s
        clock.shift(timedelta(seconds=1))
        assert attempt(client, "guess1").status_code == 429
        clock.shift(timedelta(seconds=1))
        assert attempt(client, "guess1").status_code == 200
        # Another address is not slowed by this one.
        assert attempt(Client(), "150100", DEMO_PASSWORD, "10.15.0.20").status_code == 302


def test_an_address_failing_many_accounts_is_blocked_then_let_go(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for number in range(10):
            attempt(client, f"someone{number}")
        block = AddressBlock.objects.get(source=ATTACKER)
        assert block.accounts == 10
        entry = AuditEntry.objects.get(action="security.address_block")
        assert entry.address == ATTACKER and entry.changes["accounts"] == 10
        response = attempt(client, "150100", DEMO_PASSWORD)
        assert response.status_code == 429 and not logged_in(client)
        assert "登录失败涉及的账号过多" in response.content.decode()
        clock.shift(timedelta(minutes=16))
        assert attempt(client, "150100", DEMO_PASSWORD).status_code == 302


def test_a_lock_caused_elsewhere_lets_the_right_password_through_once_per_address(demo):
    attacker = Client()
    for _ in range(5):
        attempt(attacker, "150100")
    lock = AccountLock.objects.get(username="150100")
    assert lock.address == ATTACKER
    # The attacker's address stays locked out, right password or not.
    attempt(attacker, "150100", DEMO_PASSWORD)
    assert not logged_in(attacker)
    # Another address: one wrong password makes it one of the lock's causes.
    guesser = Client()
    response = attempt(guesser, "150100", WRONG, "192.0.2.7")
    assert "账号已锁定" in response.content.decode()
    attempt(guesser, "150100", DEMO_PASSWORD, "192.0.2.7")
    assert not logged_in(guesser)
    # The owner, from an address that took no part: in, and the log says how.
    owner = Client()
    attempt(owner, "150100", DEMO_PASSWORD, "10.15.0.20")
    assert logged_in(owner)
    entry = AuditEntry.objects.get(action="security.lock_passed")
    assert entry.actor_username == "150100" and entry.address == "10.15.0.20"
    assert AccountLock.objects.active().filter(username="150100").exists()


@pytest.mark.parametrize("username", ["region-admin", "security-admin"])
def test_administrators_locked_by_an_attacker_get_in_with_password_and_code(demo, username):
    owner = Client()
    attempt(owner, username, DEMO_PASSWORD, "10.15.0.1")
    device = enrol(owner, User.objects.get(username=username))
    owner.post(reverse("logout"))
    attacker = Client()
    for _ in range(5):
        attempt(attacker, username)
    assert AccountLock.objects.active().filter(username=username).exists()
    attempt(owner, username, DEMO_PASSWORD, "10.15.0.1")
    # The password got through the lock; the second factor is still asked for.
    assert owner.get(reverse("home"), REMOTE_ADDR="10.15.0.1")["Location"] == \
        reverse("otp_verify")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    owner.post(reverse("otp_verify"), {"token": code_for(device)}, REMOTE_ADDR="10.15.0.1")
    assert owner.get(reverse("home"), REMOTE_ADDR="10.15.0.1").status_code in {200, 302}
    assert owner.get(reverse("security_locks" if username == "security-admin"
                             else "account_list")).status_code == 200


def test_the_operator_unlocks_from_the_command_line(demo, capsys):
    for _ in range(5):
        attempt(Client(), "150100")
        attempt(Client(), "150200")
    call_command("unlock", "150100")
    assert "已解锁账号 150100" in capsys.readouterr().out
    assert not AccountLock.objects.active().filter(username="150100").exists()
    assert AccountLock.objects.active().filter(username="150200").exists()
    entry = AuditEntry.objects.get(action="security.unlock")
    assert entry.actor_username.startswith("命令行：") and entry.address == "命令行"
    for number in range(10):
        attempt(Client(), f"someone{number}", address="203.0.113.5")
    assert AddressBlock.objects.active().exists()
    call_command("unlock", "--all")
    assert not AccountLock.objects.active().exists()
    assert not AddressBlock.objects.active().exists()
    assert AuditEntry.objects.filter(action="security.address_unlock").count() == 1
    # Unlocked for the attacker's address too (which is only slowed for a few seconds).
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert attempt(Client(), "150200", DEMO_PASSWORD).status_code == 302
    with pytest.raises(CommandError):
        call_command("unlock")


def test_the_security_administrator_lifts_an_address_block(demo, personas, client):
    for number in range(10):
        attempt(Client(), f"someone{number}")
    block = AddressBlock.objects.get()
    client.force_login(personas["security_admin"])
    assert ATTACKER in client.get(reverse("security_locks")).content.decode()
    client.post(reverse("security_address_unlock", kwargs={"pk": block.pk}))
    block.refresh_from_db()
    assert block.unlocked_by == personas["security_admin"]
    assert attempt(Client(), "150100", DEMO_PASSWORD).status_code == 302
