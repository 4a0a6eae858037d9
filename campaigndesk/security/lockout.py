"""Locking a user name after repeated failed log-ins (等保 2.0 登录失败处理).

LOGIN_MAX_FAILURES failures inside LOGIN_FAILURE_WINDOW_MINUTES lock the name for
LOGIN_LOCK_MINUTES; while locked, even the right password is refused. A successful log-in,
an unlock or the end of a lock starts the count afresh. Locks and unlocks are audited.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record

from .models import AccountLock, LoginAttempt


def _normal(username: str) -> str:
    return (username or "").strip()[:150]


def active_lock(username: str) -> AccountLock | None:
    return (AccountLock.objects.filter(username__iexact=_normal(username)).active()
            .order_by("-until").first())


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
def note_failure(username: str, address: str = "") -> AccountLock | None:
    """Record a failed attempt; returns the new lock when this failure caused one."""
    username = _normal(username)
    now = timezone.now()
    LoginAttempt.objects.create(username=username, at=now, address=address[:64])
    if not username or active_lock(username) is not None:
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


def note_success(username: str, address: str = "") -> None:
    LoginAttempt.objects.create(username=_normal(username), address=address[:64],
                                succeeded=True)


@transaction.atomic
def unlock(by, lock: AccountLock) -> AccountLock:
    lock = AccountLock.objects.select_for_update().get(pk=lock.pk)
    if lock.unlocked_at is not None:
        return lock
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = by
    lock.save(update_fields=["unlocked_at", "unlocked_by"])
    record(by, "security.unlock", lock, changes={"locked_until": timezone.localtime(
        lock.until).isoformat()}, message=f"解锁账号 {lock.username}")
    return lock
