from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigndesk.campaigns.models import Campaign, Deadline, VocabularyItem, VocabularyKind
from campaigndesk.units.models import Unit

from .table import ActivityRow

# The optional classifications of an activity (the notice's 宣传活动, 宣传内容, 五社).
TAG_KINDS = (VocabularyKind.ACTIVITY_TYPE, VocabularyKind.FOCUS_TOPIC, VocabularyKind.FIVE_SOCIAL)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已报送")
    REOPENED = "reopened", _("已退回修改")


class Report(models.Model):
    """A unit's progress report for one progress deadline (one round).

    The activities of the round hang on it until it is submitted; submitting freezes a
    ReportVersion. A region administrator can reopen it; the next submission makes the
    next version, and every version stays viewable.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="progress_reports")
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    reporter_name = models.CharField(_("填报人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("手机号码"), max_length=11, blank=True)
    filled_date = models.DateField(_("填报时间"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("工作进展报告")
        verbose_name_plural = _("工作进展报告")
        ordering = ["deadline__due_at", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "unit"], name="one_report_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline.title}"

    @property
    def campaign(self) -> Campaign:
        return self.deadline.campaign

    @property
    def is_editable(self) -> bool:
        return self.status != ReportStatus.SUBMITTED

    @property
    def state_label(self) -> str:
        """The status as the pages show it: a round never sent in a closed campaign is not
        填报中 any more, nobody can fill it."""
        if self.status != ReportStatus.SUBMITTED and self.deadline.campaign.closed_at:
            return str(_("未报送（活动已关闭）"))
        return str(self.get_status_display())

    @property
    def state_css(self) -> str:
        if self.status != ReportStatus.SUBMITTED and self.deadline.campaign.closed_at:
            return "closed"
        return {ReportStatus.SUBMITTED: "on_time", ReportStatus.REOPENED: "late"}.get(
            self.status, "open")


class ReportVersion(models.Model):
    """What was sent, frozen: the header lines and every activity of the round."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    snapshot = models.JSONField(_("报送内容"))
    # 邮件报送 (issue 15): the table came by e-mail and was confirmed later; submitted_at is
    # then the mail's arrival, which timeliness is judged on (the confirmation is audited).
    by_mail = models.BooleanField(_("邮件报送"), default=False)

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.report.deadline.due_at

    @property
    def delay(self):
        return self.submitted_at - self.report.deadline.due_at


class ActivityQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_deleted=False)


def row_constraints(funds: str, materials: str, dates: str) -> list[models.CheckConstraint]:
    """No negative amounts, no end before the start: in the database, on both engines."""
    return [
        models.CheckConstraint(condition=models.Q(funds_fen__gte=0), name=funds),
        models.CheckConstraint(condition=models.Q(materials_fen__gte=0), name=materials),
        models.CheckConstraint(
            condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=True)
            | models.Q(end_date__gte=models.F("start_date")),
            name=dates),
    ]


class ActivityFields(models.Model):
    """The columns of one row of 附件1, shared by the working row (Activity) and the row as
    sent (ReportedActivity).

    Amounts are stored as whole fen in integer columns: SQLite sums DECIMAL columns as
    floats, and totals must be exact to the fen on both databases.
    """

    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("活动名称"), max_length=200)
    organizations = models.JSONField(_("参与活动的单位或社会组织（团队）名称"), default=list,
                                     blank=True)
    participants = models.PositiveIntegerField(_("参与人次"), default=0)
    start_date = models.DateField(_("活动开始日期"), null=True, blank=True)
    end_date = models.DateField(_("活动结束日期"), null=True, blank=True)
    location = models.CharField(_("活动地点"), max_length=200, blank=True)
    content = models.TextField(_("活动内容"), blank=True)
    service_other = models.CharField(_("其他服务领域"), max_length=200, blank=True)
    beneficiaries = models.PositiveIntegerField(_("受益人次"), default=0)
    funds_fen = models.BigIntegerField(_("链接资金（分）"), default=0)
    materials_fen = models.BigIntegerField(_("链接物资折价（分）"), default=0)
    remarks = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True
        constraints = row_constraints("%(class)s_funds_not_negative",
                                      "%(class)s_materials_not_negative",
                                      "%(class)s_dates_in_order")

    def to_row(self) -> ActivityRow:
        tags = list(self.tags.all())
        return ActivityRow(
            name=self.name,
            organizations=list(self.organizations),
            participants=self.participants,
            start=self.start_date,
            end=self.end_date,
            location=self.location,
            content=self.content,
            service_areas=[t.label for t in tags if t.kind == VocabularyKind.SERVICE_AREA],
            service_other=self.service_other,
            beneficiaries=self.beneficiaries,
            funds_fen=self.funds_fen,
            materials_fen=self.materials_fen,
            remarks=self.remarks,
            tags={kind: [t.label for t in tags if t.kind == kind] for kind in TAG_KINDS},
        )


class Activity(ActivityFields):
    """One row of 附件1 as the unit works on it: the grid and imports edit these rows.

    This is the unit's working copy, drafts included. No total counts it: what counts is
    what was submitted (ReportedActivity, see progress.reported).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="activities")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="activities")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="activities",
                               help_text="the round in which the activity is reported")
    tags = models.ManyToManyField(VocabularyItem, verbose_name=_("服务领域与分类"), blank=True,
                                  related_name="activities")
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["report__deadline__due_at", "position", "pk"]
        indexes = [models.Index(fields=["campaign", "unit"], name="activity_campaign_unit")]
        # The names the working rows have had since the first migration.
        constraints = row_constraints("funds_not_negative", "materials_not_negative",
                                      "activity_dates_in_order")

    def __str__(self) -> str:
        return self.name


class ReportedActivity(ActivityFields):
    """An activity as it was sent: frozen from a ReportVersion's snapshot at submission.

    `is_current` marks the rows of the last submitted version of each report; those, and
    only those, are what the campaign's figures count (progress.reported). A reopened
    round keeps its current rows until it is submitted again.
    """

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT,
                                related_name="activities")
    report = models.ForeignKey(Report, on_delete=models.PROTECT,
                               related_name="reported_activities")
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT,
                                 related_name="reported_activities")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reported_activities")
    source_id = models.PositiveIntegerField(null=True, blank=True,
                                            help_text="the working Activity it was sent from")
    tags = models.ManyToManyField(VocabularyItem, blank=True, related_name="reported_activities")
    is_current = models.BooleanField(default=True)
    # Issue 17 (cascade): the unit under the bureau whose submitted row the bureau forwarded
    # in its own report (empty: the reporting unit's own row), shown wherever the row is.
    origin = models.ForeignKey(Unit, verbose_name=_("来源单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # A row a county sent to its bureau (not to the region): the bureau's views count it;
    # the region's never do, it reaches them inside the bureau's report (with `origin`).
    within_bureau = models.BooleanField(default=False)

    class Meta(ActivityFields.Meta):
        verbose_name = _("已报送活动")
        verbose_name_plural = _("已报送活动")
        ordering = ["deadline__due_at", "position", "pk"]
        indexes = [models.Index(fields=["campaign", "is_current", "unit"],
                                name="reported_campaign_current")]

    def __str__(self) -> str:
        return self.name

    def to_row(self) -> ActivityRow:
        row = super().to_row()
        row.origin = self.origin.name if self.origin_id else ""
        return row


class TypedRow(models.Model):
    """A grid row saved as it was typed because a cell of it is wrong.

    Saving a draft never loses a row: a row the checks refuse is kept here, every cell as
    typed (`texts`, by grid key) with the message of each wrong cell (`errors`), in its
    place among the round's activities (`position`). When the row was an activity already
    (`activity`), that activity keeps its last correct values and the grid shows this row
    in its place. A typed row is never an activity: no total, export, import match or
    submitted version reads it, and a round holding one cannot be submitted until it is
    corrected (services.submit_report).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="typed_rows")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="typed_row")
    position = models.PositiveIntegerField(default=0)
    texts = models.JSONField(_("填写内容"), default=dict)
    errors = models.JSONField(_("错误"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("有错误的草稿行")
        verbose_name_plural = _("有错误的草稿行")
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.texts.get("name", "") or str(_("（未填活动名称）"))


class ReportedTotal(models.Model):
    """What the submitted rows add up to, kept up to date by the submission itself.

    One row per campaign, round (deadline), unit and `key`: "" the round's whole total,
    "d2022-03-17" the activities starting that day ("d": without a date), "t<id>" those
    carrying vocabulary item id, "k<kind>" those carrying at least one item of that kind.
    `own_*` are the unit's own current submitted rows (progress.reported), `tree_*` the
    unit's and every unit's under it along `reports_to`, at any depth: a dashboard reads a
    dozen rows instead of summing 500,000 activities. Kept by progress.totals inside the
    transaction that changes what counts (submission, a unit moved); `campaigndesk
    rebuild_totals` makes them again from the rows. A row whose figures are all zero is
    removed, so the maintained table and a rebuild hold the same rows.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    own_activities = models.BigIntegerField(default=0)
    own_participants = models.BigIntegerField(default=0)
    own_beneficiaries = models.BigIntegerField(default=0)
    own_funds_fen = models.BigIntegerField(default=0)
    own_materials_fen = models.BigIntegerField(default=0)
    tree_activities = models.BigIntegerField(default=0)
    tree_participants = models.BigIntegerField(default=0)
    tree_beneficiaries = models.BigIntegerField(default=0)
    tree_funds_fen = models.BigIntegerField(default=0)
    tree_materials_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("已报送合计")
        verbose_name_plural = _("已报送合计")
        constraints = [models.UniqueConstraint(fields=["campaign", "deadline", "unit", "key"],
                                               name="one_total_per_unit_round_key")]
        # by_unit reads every unit's "" rows of a campaign; the unique index serves the
        # roll-ups (a few units, every round).
        indexes = [models.Index(fields=["campaign", "key", "unit"], name="total_campaign_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.deadline_id} · {self.key or '合计'}"
