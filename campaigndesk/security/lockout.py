"""Locking a user name after repeated failed log-ins (等保 2.0 登录失败处理).

LOGIN_MAX_FAILURES failures inside LOGIN_FAILURE_WINDOW_MINUTES lock the name for
LOGIN_LOCK_MINUTES; while locked, even the right password is refused from the addresses
whose failures caused the lock, or that failed on it since. From any other address the
right password (and then the second factor, where enrolled) still gets in: a lock that
anyone can cause must not shut the owner out (issue 12 point 6). Each such address gets
one try: a wrong password from it makes it one of the lock's causes. A successful log-in,
an unlock or the end of a lock starts the count afresh. Locks, unlocks and log-ins through
a lock are audited. The throttle per address is in throttle.py.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.core.addresses import address_group

from . import throttle
from .lifting import lift
from .models import AccountLock, LoginAttempt


def _normal(username: str) -> str:
    return (username or "").strip()[:150]


def active_lock(username: str, now=None) -> AccountLock | None:
    return (AccountLock.objects.filter(username__iexact=_normal(username)).active(now)
            .order_by("-until").first())


def may_pass(lock: AccountLock, address: str, *, pending: LoginAttempt | None = None) -> bool:
    """True when `address` had no part in the failures behind the lock (nor since).
    `pending`: this attempt's own row, stored as a failure before the password is checked
    (throttle.reserve), which is no part of it."""
    source = address_group(address)
    if not source:
        return False
    since = lock.locked_at - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    return not LoginAttempt.objects.filter(username__iexact=lock.username, source=source,
                                           succeeded=False, at__gt=since).exclude(
        pk=getattr(pending, "pk", None)).exists()


def known_source(username: str, source: str) -> bool:
    """The address (group) has logged in to this account before."""
    return bool(source) and LoginAttempt.objects.filter(
        username__iexact=_normal(username), source=source, succeeded=True).exists()


def under_attack(username: str, now=None) -> bool:
    """LOGIN_ACCOUNT_MAX_FAILURES failures on the name within LOGIN_ACCOUNT_WINDOW_MINUTES
    from any addresses (counted from a later success or unlock)."""
    now = now or timezone.now()
    username = _normal(username)
    marks = [now - timedelta(minutes=settings.LOGIN_ACCOUNT_WINDOW_MINUTES)]
    success = (LoginAttempt.objects.filter(username__iexact=username, succeeded=True)
               .aggregate(m=Max("at"))["m"])
    unlocked = AccountLock.objects.filter(username__iexact=username).aggregate(
        m=Max("unlocked_at"))["m"]
    marks += [m for m in (success, unlocked) if m is not None]
    failures = LoginAttempt.objects.filter(username__iexact=username, succeeded=False,
                                           at__gt=max(marks)).count()
    return failures >= settings.LOGIN_ACCOUNT_MAX_FAILURES


def refused_everywhere_but_known(username: str, address: str) -> bool:
    """Guessing from many addresses: the per-address lock lets each new address try, so
    past LOGIN_ACCOUNT_MAX_FAILURES only an address that has logged in to the account
    before may try (issue 12 point 6, second pass)."""
    return under_attack(username) and not known_source(username, address_group(address))


def attack_message() -> str:
    return _("该账号近 %(minutes)s 分钟内从多个地址登录失败 %(failures)s 次以上，"
             "现仅允许曾成功登录过本账号的地址登录；请稍后再试，或联系安全管理员解锁") % {
        "minutes": settings.LOGIN_ACCOUNT_WINDOW_MINUTES,
        "failures": settings.LOGIN_ACCOUNT_MAX_FAILURES}


def note_passed(lock: AccountLock, user, address: str) -> None:
    """The right password from an address that did not cause the lock."""
    record(user, "security.lock_passed", lock, changes={"address": address},
           message=f"账号 {lock.username} 锁定期间，从未参与失败尝试的地址以正确密码登录"
                   "（启用动态验证码的账号还须通过验证）")


def locked_message(lock: AccountLock) -> str:
    until = timezone.localtime(lock.until)
    return _("账号已锁定：连续 %(failures)s 次密码错误，"
             "请于 %(until)s 后再试，或联系安全管理员解锁") % {
        "failures": settings.LOGIN_MAX_FAILURES, "until": until.strftime("%Y-%m-%d %H:%M")}


def _count_from(username: str, now):
    """The moment from which failures count: the window start, or a later reset."""
    window_start = now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    marks = [window_start]
    success = (LoginAttempt.objects.filter(username__iexact=username, succeeded=True)
               .aggregate(m=Max("at"))["m"])
    locks = AccountLock.objects.filter(username__iexact=username).aggregate(
        until=Max("until"), unlocked=Max("unlocked_at"))
    marks += [m for m in (success, locks["until"], locks["unlocked"]) if m is not None]
    return max(marks)


@transaction.atomic
def note_failure(username: str, address: str = "", *,
                 attempt: LoginAttempt | None = None) -> AccountLock | None:
    """Record a failed attempt (and let the address throttle count it); returns the new
    lock when this failure caused one. `attempt`: the row the log-in view stored before
    checking the password (throttle.reserve), which stands already as a failure."""
    username = _normal(username)
    now = timezone.now()
    source = address_group(address)
    if attempt is not None:
        LoginAttempt.objects.filter(pk=attempt.pk).update(username=username)
    else:
        LoginAttempt.objects.create(username=username, at=now, address=address[:64],
                                    source=source)
    throttle.note_failure(source, now)
    if not username or active_lock(username, now) is not None:
        return None
    failures = LoginAttempt.objects.filter(username__iexact=username, succeeded=False,
                                           at__gt=_count_from(username, now)).count()
    if failures < settings.LOGIN_MAX_FAILURES:
        return None
    lock = AccountLock.objects.create(
        username=username, locked_at=now, failures=failures, address=address[:64],
        until=now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES))
    record(None, "security.lock", lock, username=username,
           changes={"failures": failures, "until": timezone.localtime(lock.until).isoformat()},
           message=f"{settings.LOGIN_FAILURE_WINDOW_MINUTES} 分钟内连续 {failures} 次登录失败，"
                   f"锁定 {settings.LOGIN_LOCK_MINUTES} 分钟")
    return lock


def note_success(username: str, address: str = "", *,
                 attempt: LoginAttempt | None = None) -> None:
    if attempt is not None:
        LoginAttempt.objects.filter(pk=attempt.pk).update(username=_normal(username),
                                                          succeeded=True, at=timezone.now())
        return
    LoginAttempt.objects.create(username=_normal(username), address=address[:64],
                                source=address_group(address), succeeded=True)


def unlock(by, lock: AccountLock, *, operator: str = "") -> AccountLock:
    """Lift a lock (on the web, or by the `unlock` command, whose `operator` names who ran
    it)."""
    return lift(by, lock, action="security.unlock", message=f"解锁账号 {lock.username}",
                operator=operator)
