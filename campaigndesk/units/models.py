from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    REGION = "region", _("自治区")
    LEAGUE = "league", _("盟市")
    COUNTY = "county", _("旗县区")
    GRASSROOTS = "grassroots", _("苏木乡镇（街道）社工站或其他单位")


LEVEL_DEPTH = {Level.REGION: 0, Level.LEAGUE: 1, Level.COUNTY: 2, Level.GRASSROOTS: 3}


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def reporting(self):
        """Units that report straight to the region: the 12 leagues/cities plus the cities
        such as 满洲里市 that lie inside a league but report directly."""
        return self.filter(reports_to__level=Level.REGION)

    def under(self, unit: "Unit"):
        """The unit and every unit that reports to it, directly or not."""
        return self.filter(report_path__startswith=unit.report_path)


class Unit(models.Model):
    """A unit of the civil-affairs system.

    Two parents: `geo_parent` is where the unit lies on the map, `reports_to` is whom it
    reports to. They differ for 满洲里市 (in 呼伦贝尔市, reports to the region). Every total
    and every permission follows `reports_to`, so each unit is counted once.
    `report_path` is the chain of ids along `reports_to` ("/1/5/"), kept by the services in
    units.services, so that "this unit and everything under it" is one indexed prefix query.
    """

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_names = models.JSONField(_("简称"), default=list, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    geo_parent = models.ForeignKey(
        "self",
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="geo_children",
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("报送上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_children",
    )
    report_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    # Optimistic locking: the edit form carries it back, a stale save is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reporting(self) -> bool:
        return self.reports_to_id is not None and self.reports_to.level == Level.REGION

    @property
    def short_names_text(self) -> str:
        return "、".join(self.short_names)

    def contains(self, other: "Unit") -> bool:
        return other.report_path.startswith(self.report_path)


class Role(models.TextChoices):
    REGION_ADMIN = "region_admin", _("自治区管理员")
    REVIEWER = "reviewer", _("自治区审核员")
    REPORTER = "reporter", _("单位填报员")
    # Issue 17: reviews the briefs of the counties under its bureau and follows their
    # reports; bound to the bureau, writes none of the bureau's own data.
    BUREAU_REVIEWER = "bureau_reviewer", _("盟市审核员")
    AUDITOR = "auditor", _("审计员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    # Issue 17 point 2: staff of 民政部 on an installation run at the ministry
    # (settings.MINISTRY_MODE): they import the provinces' packages and read the national
    # page, and nothing of the region's own work.
    MINISTRY = "ministry", _("民政部工作人员")


class User(AbstractUser):
    """An account. One role each; a reporter is bound to one unit."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    # Password policy (campaigndesk.security.passwords): an administrator-set password must
    # be changed at first log-in; a password expires after PASSWORD_MAX_AGE_DAYS. Demo
    # accounts are exempt, and only while demo mode is on.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    password_policy_exempt = models.BooleanField(_("免于密码策略（仅演示）"), default=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    # Bumped when the account or its unit is deactivated: every session opened before
    # carries the old value in its hash and stays over after reactivation.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, and of the epoch once it was bumped (epoch 0
        keeps the sessions opened before this field existed)."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        from django.utils.crypto import salted_hmac

        return salted_hmac("campaigndesk.units.User.session", f"{self.password}:"
                           f"{self.session_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="reporter") | models.Q(unit__isnull=False),
                name="reporter_has_unit",
            ),
            # Separation of duties: a superuser is the system administrator and nothing else
            # (never also auditor or security administrator).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role__in=["", "region_admin"]),
                name="superuser_is_system_admin_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def set_password(self, raw_password) -> None:
        # Every way of setting a password restarts its age; administrator services set
        # must_change_password again right after (units.accounts).
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False
