"""The throttle per source address, beside the lock per account (lockout.py).

The account lock alone let one address lock all 14 bureaus with 70 requests, again every
15 minutes. So an address is also counted: after LOGIN_ADDRESS_SLOW_AFTER failures inside
the window, each further attempt must wait after the previous failure (1 s, doubling, at
most a minute); an address that failed on LOGIN_ADDRESS_MAX_ACCOUNTS different user names
is blocked for LOGIN_LOCK_MINUTES. A refused attempt is answered before any password is
checked and is not recorded, so the refused flood neither locks accounts nor fills the
database; the block itself is audited. An IPv6 address counts by its /64.

A successful log-in from the address does not clear its count: otherwise one valid account
would be a key to unlimited guessing on the others.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record

from .lifting import lift
from .models import AddressBlock, LoginAttempt

MAX_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds, for the Retry-After header


def active_block(source: str, now: datetime | None = None) -> AddressBlock | None:
    return (AddressBlock.objects.filter(source=source).active(now).order_by("-until")
            .first())


def _count_from(source: str, now: datetime) -> datetime:
    """Failures count from the window's start, or from the end of the last block."""
    window_start = now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    blocks = AddressBlock.objects.filter(source=source).aggregate(
        until=Max("until"), unlocked=Max("unlocked_at"))
    ends = [m for m in (blocks["until"], blocks["unlocked"]) if m is not None and m <= now]
    return max([window_start, *ends])


def _failures(source: str, now: datetime):
    return LoginAttempt.objects.filter(source=source, succeeded=False,
                                       at__gt=_count_from(source, now))


def reserve(username: str, address: str, now: datetime) -> tuple[LoginAttempt | None,
                                                                  Refusal | None]:
    """Store the attempt before its password is checked (as a failure until it succeeds,
    see lockout.note_failure/note_success), then judge it by the attempts stored before
    it. Sixty parallel requests from one address each see the ones stored ahead of them,
    so no more than the throttle allows get their password checked (issue 12 point 6,
    second pass). A refused attempt is removed again: it is not stored."""
    from campaigndesk.core.addresses import address_group

    source = address_group(address)
    if not source:
        return None, None
    attempt = LoginAttempt.objects.create(username=(username or "").strip()[:150], at=now,
                                          address=address[:64], source=source)
    refused = refusal(source, now, before=attempt.pk)
    if refused is not None:
        attempt.delete()
        return None, refused
    return attempt, None


def refusal(source: str, now: datetime, *, before: int | None = None) -> Refusal | None:
    """Why an attempt from this source is refused now, or None when it may go ahead
    (`before`: count only the attempts stored ahead of this one)."""
    if not source:
        return None
    block = active_block(source, now)
    if block is not None:
        until = timezone.localtime(block.until)
        return Refusal(
            _("本地址（%(source)s）近期登录失败涉及的账号过多，已暂停登录至 %(until)s。"
              "如为误拦，请联系安全管理员或系统运维人员解除") % {
                "source": source, "until": until.strftime("%Y-%m-%d %H:%M")},
            math.ceil((block.until - now).total_seconds()))
    failures = _failures(source, now)
    if before is not None:
        failures = failures.filter(pk__lt=before)
    stats = failures.aggregate(n=Count("pk"), last=Max("at"))
    extra = stats["n"] - settings.LOGIN_ADDRESS_SLOW_AFTER
    if extra < 0:
        return None
    ready = stats["last"] + timedelta(seconds=min(2 ** extra, MAX_WAIT_SECONDS))
    if now >= ready:
        return None
    wait = math.ceil((ready - now).total_seconds())
    return Refusal(_("登录尝试过于频繁：本地址近 %(window)s 分钟内已登录失败 %(failures)s 次，"
                     "请 %(wait)s 秒后再试") % {
        "window": settings.LOGIN_FAILURE_WINDOW_MINUTES, "failures": stats["n"],
        "wait": wait}, wait)


def note_failure(source: str, now: datetime) -> AddressBlock | None:
    """After a failure from `source` was recorded: block it when it has now failed on too
    many user names. Runs inside the transaction of lockout.note_failure."""
    if not source or active_block(source, now) is not None:
        return None
    failures = _failures(source, now)
    accounts = failures.aggregate(n=Count(Lower("username"), distinct=True))["n"]
    if accounts < settings.LOGIN_ADDRESS_MAX_ACCOUNTS:
        return None
    block = AddressBlock.objects.create(
        source=source, blocked_at=now, failures=failures.count(), accounts=accounts,
        until=now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES))
    record(None, "security.address_block", block, username=source,
           changes={"failures": block.failures, "accounts": accounts,
                    "until": timezone.localtime(block.until).isoformat()},
           message=f"来源地址 {source} 在 {settings.LOGIN_FAILURE_WINDOW_MINUTES} 分钟内"
                   f"对 {accounts} 个用户名登录失败，暂停其登录 {settings.LOGIN_LOCK_MINUTES} 分钟")
    return block


def unlock(by, block: AddressBlock, *, operator: str = "") -> AddressBlock:
    """Lift a block (the security administrator on the web, or the `unlock` command, whose
    `operator` names who ran it)."""
    return lift(by, block, action="security.address_unlock",
                message=f"解除来源地址 {block.source} 的登录拦截", operator=operator)
