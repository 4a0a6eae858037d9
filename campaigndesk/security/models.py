from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginAttempt(models.Model):
    """One log-in attempt for a user name (existing or not, so that locking reveals nothing
    about which names exist). Failures inside the window count towards a lock."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    # What the address throttle counts by (core.addresses.address_group): the address,
    # or an IPv6 address's /64.
    source = models.CharField(_("来源网段"), max_length=64, blank=True, default="")
    succeeded = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["username", "at"], name="login_attempt_user_at"),
                   models.Index(fields=["source", "at"], name="login_attempt_source_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S} {'成功' if self.succeeded else '失败'}"


class LockQuerySet(models.QuerySet):
    def active(self, now=None):
        """Locks in force now: not unlocked and not yet run out."""
        return self.filter(unlocked_at__isnull=True, until__gt=now or timezone.now())


class Lock(models.Model):
    """What a lock of any kind has: until when, after how many failures, and who lifted it
    early (security.lifting)."""

    until = models.DateTimeField(_("锁定至"))
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("解锁人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = LockQuerySet.as_manager()

    class Meta:
        abstract = True


class AccountLock(Lock):
    """A user name locked after too many failed log-ins, until `until` or an unlock."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    locked_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    address = models.CharField(_("最后来源地址"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")
        ordering = ["-locked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} 锁定至 {timezone.localtime(self.until):%Y-%m-%d %H:%M}"


class AddressBlock(Lock):
    """A source address (an IPv6 /64) that failed log-ins on too many accounts: its log-in
    attempts are refused, without looking at the account, until `until` or an unlock."""

    source = models.CharField(_("来源地址"), max_length=64, db_index=True)
    blocked_at = models.DateTimeField(_("拦截时间"), default=timezone.now)
    accounts = models.PositiveIntegerField(_("涉及账号数"), default=0)

    class Meta:
        verbose_name = _("来源地址拦截")
        verbose_name_plural = _("来源地址拦截")
        ordering = ["-blocked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} 拦截至 {timezone.localtime(self.until):%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """The hash of one of an account's recent passwords (security.passwords keeps the last
    few), so that an old password cannot come back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    password = models.CharField(_("密码哈希"), max_length=128)
    at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="password_history_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
