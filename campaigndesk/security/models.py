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
    succeeded = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["username", "at"], name="login_attempt_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S} {'成功' if self.succeeded else '失败'}"


class AccountLockQuerySet(models.QuerySet):
    def active(self):
        """Locks in force now: not unlocked and not yet run out."""
        return self.filter(unlocked_at__isnull=True, until__gt=timezone.now())


class AccountLock(models.Model):
    """A user name locked after too many failed log-ins, until `until` or an unlock."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    locked_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    until = models.DateTimeField(_("锁定至"))
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    address = models.CharField(_("最后来源地址"), max_length=64, blank=True)
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("解锁人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = AccountLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")
        ordering = ["-locked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} 锁定至 {timezone.localtime(self.until):%Y-%m-%d %H:%M}"
