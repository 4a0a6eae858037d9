from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigndesk.proofing.report import (
    DEFAULT_MAX_LENGTH,
    DEFAULT_MIN_LENGTH,
    DEFAULT_TARGET_LENGTH,
)
from campaigndesk.units.models import Unit


class CampaignQuerySet(models.QuerySet):
    def current(self, unit: Unit | None = None):
        """The campaign running today (the latest to start, if several), else the latest
        that has started, else the next to come. Only for the public screen display, which
        has no user to ask; pages carry their campaign in the URL and old URLs go to the
        user's most urgent open campaign (campaigns.urgency). A copy made for next year
        does not take over the wall before it starts."""
        qs = self.filter(participants=unit) if unit is not None else self
        today = timezone.localdate()
        latest = ("-start_date", "-pk")
        return (qs.filter(start_date__lte=today, end_date__gte=today).order_by(*latest).first()
                or qs.filter(start_date__lte=today).order_by(*latest).first()
                or qs.order_by("start_date", "pk").first())

    def taking_part(self, unit: Unit):
        """The campaigns the unit works in: as a participant (a bureau reporting to the
        region), or as a unit its bureau opened its part of the campaign to (Cascade)."""
        return self.filter(models.Q(participants=unit) | models.Q(cascades__members=unit)
                           ).distinct()

    def of_unit(self, unit: Unit, pk: int):
        """Campaign `pk` if the unit takes part in it, else None."""
        return self.taking_part(unit).filter(pk=pk).first()

    def open(self):
        return self.filter(closed_at__isnull=True)


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("活动名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    slogan = models.CharField(_("宣传主题"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    notice_text = models.TextField(_("通知正文"), blank=True)
    min_photos = models.PositiveSmallIntegerField(
        _("每篇稿件至少照片数"), default=2,
        help_text=_("附件2要求图文并茂；报送稿件时检查照片数不少于此数"))
    # 字数 as WPS/Word count it (characters without spaces); the proofreader warns outside
    # the bounds and says "约500字（350～700字）".
    brief_length = models.PositiveSmallIntegerField(
        _("稿件字数要求（约）"), default=DEFAULT_TARGET_LENGTH,
        help_text=_("通知中“每篇约500字”的字数"))
    brief_min_length = models.PositiveSmallIntegerField(
        _("稿件字数下限"), default=DEFAULT_MIN_LENGTH,
        help_text=_("正文少于此字数（不计空格）时校对提示"))
    brief_max_length = models.PositiveSmallIntegerField(
        _("稿件字数上限"), default=DEFAULT_MAX_LENGTH,
        help_text=_("正文多于此字数（不计空格）时校对提示"))
    participants = models.ManyToManyField(
        Unit, verbose_name=_("参加单位"), related_name="campaigns", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A closed campaign is read-only everywhere (services.ensure_open); who closed it and
    # why is in the audit log as well.
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False)
    closed_reason = models.CharField(_("关闭原因"), max_length=200, blank=True, editable=False)
    # Optimistic locking for the edit form (campaigndesk.core.concurrency).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="campaign_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(brief_min_length__lte=models.F("brief_length"),
                                   brief_length__lte=models.F("brief_max_length")),
                name="campaign_brief_length_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def vocabulary(self, kind: str) -> list["VocabularyItem"]:
        return [item for item in self.vocabulary_items.all() if item.kind == kind]


class VocabularyKind(models.TextChoices):
    FOCUS_TOPIC = "focus_topic", _("宣传内容")
    ACTIVITY_TYPE = "activity_type", _("宣传活动")
    SERVICE_AREA = "service_area", _("服务领域")
    FIVE_SOCIAL = "five_social", _("五社联动要素")


class VocabularyItem(models.Model):
    """One entry of a campaign's lists: a focus topic, an activity type, a service area or
    a 五社 element. `allows_text` marks the 其他 entry that takes free text."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="vocabulary_items"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=VocabularyKind.choices)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("名称"), max_length=200)
    allows_text = models.BooleanField(_("可填写说明"), default=False)

    class Meta:
        verbose_name = _("活动词表条目")
        verbose_name_plural = _("活动词表条目")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "label"], name="vocabulary_label_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Contact(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=50)
    office = models.CharField(_("处室"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DeadlineKind(models.TextChoices):
    PROGRESS = "progress", _("工作进展报送")
    SUMMARY = "summary", _("活动总结报送")


class Deadline(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("类别"), max_length=20, choices=DeadlineKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    due_at = models.DateTimeField(_("截止时间"))

    class Meta:
        verbose_name = _("报送节点")
        verbose_name_plural = _("报送节点")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        local = timezone.localtime(self.due_at)
        return f"{self.title}（{local:%Y-%m-%d %H:%M}）"


class Submission(models.Model):
    """What a unit sent for a deadline. The progress report and the final summary hang
    their content on this record; the home pages and the overview read only this."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set while the region has sent the report back for correction, cleared when it is sent
    # again: the overview must not call a report 按时报送 while it is being corrected.
    reopened_at = models.DateTimeField(_("退回修改时间"), null=True, blank=True)
    # Sent by e-mail (campaigndesk.intake): submitted_at is when the mail arrived.
    by_mail = models.BooleanField(_("邮件报送"), default=False)

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "unit"], name="one_submission_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline}"

    @property
    def delay(self):
        return max(self.submitted_at - self.deadline.due_at, timedelta(0))

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.deadline.due_at


class Cascade(models.Model):
    """A bureau's part of the campaign opened to units under it (县 → 盟市 → 自治区).

    The members report to the bureau, by the bureau's own earlier deadlines
    (CascadeDeadline); the bureau's report to the region is assembled from their submitted
    rows plus its own (progress.services.snapshot). One level only: a member's reports go
    to the bureau that opened the cascade, never to a unit in between.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cascades")
    bureau = models.ForeignKey(Unit, verbose_name=_("盟市民政局"), on_delete=models.PROTECT,
                               related_name="cascades")
    members = models.ManyToManyField(Unit, verbose_name=_("参加的旗县区"), blank=True,
                                     related_name="cascade_memberships")
    opened_at = models.DateTimeField(_("开放时间"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("盟市内部报送")
        verbose_name_plural = _("盟市内部报送")
        constraints = [models.UniqueConstraint(fields=["campaign", "bureau"],
                                               name="one_cascade_per_bureau")]

    def __str__(self) -> str:
        return f"{self.bureau} · {self.campaign}"


class CascadeDeadline(models.Model):
    """The bureau's internal deadline for one of the region's deadlines: always before it,
    so that the bureau has time to check and forward (3月23日 12:00 before 3月24日 17:00)."""

    cascade = models.ForeignKey(Cascade, on_delete=models.CASCADE, related_name="deadlines")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(_("内部截止时间"))

    class Meta:
        verbose_name = _("盟市内部截止时间")
        verbose_name_plural = _("盟市内部截止时间")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["cascade", "deadline"],
                                               name="one_internal_due_per_deadline")]

    def __str__(self) -> str:
        return f"{self.deadline.title}（{timezone.localtime(self.due_at):%Y-%m-%d %H:%M}）"

    @property
    def title(self) -> str:
        return self.deadline.title

    @property
    def kind(self) -> str:
        return self.deadline.kind

    def get_kind_display(self) -> str:
        return self.deadline.get_kind_display()
