"""Oversight records: reminder settings and the reminders sent, and the final summaries.

Submissions (campaigns.Submission) stay the one timeliness record: a final summary creates
or reuses it on its first version, exactly like a progress report does.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigndesk.campaigns.models import Campaign, Deadline
from campaigndesk.units.models import Unit

DEFAULT_OFFSETS = "24,2"


def parse_offsets(text: str) -> list[int]:
    """"24, 2" -> [24, 2]: whole hours before a deadline, largest first, no duplicates.
    Raises ValueError with a Chinese message for anything else."""
    hours = set()
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 24 * 30:
            raise ValueError(f"“{part}”不是 1—720 之间的整数小时")
        hours.add(int(part))
    return sorted(hours, reverse=True)


class ReminderSettings(models.Model):
    """Per-campaign reminder choices; a campaign without a row uses the defaults."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE,
                                    related_name="reminder_settings")
    offsets_text = models.CharField(_("截止前提醒（小时，逗号分隔）"), max_length=100,
                                    default=DEFAULT_OFFSETS)
    send_late = models.BooleanField(_("逾期后发送逾期提醒"), default=True)
    send_sms = models.BooleanField(_("同时发送短信"), default=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.offsets_text}"

    @property
    def offsets(self) -> list[int]:
        try:
            return parse_offsets(self.offsets_text)
        except ValueError:
            return parse_offsets(DEFAULT_OFFSETS)


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("截止前提醒")
    LATE = "late", _("逾期提醒")
    MANUAL = "manual", _("催报")


class ReminderChannel(models.TextChoices):
    NOTICE = "notice", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class ReminderSent(models.Model):
    """One reminder through one channel to one unit for one deadline.

    The unique constraint is the "never twice" guarantee: the row is inserted before the
    message leaves, so two overlapping cron runs cannot both send it. `offset` is the hours
    before the deadline for BEFORE, 0 for LATE, and the local hour (YYYYMMDDHH) for MANUAL
    so that pressing 催报 again within the same hour does not mail the unit again.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE,
                                 related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类别"), max_length=10, choices=ReminderKind.choices)
    offset = models.BigIntegerField(_("提前小时"), default=0)
    channel = models.CharField(_("渠道"), max_length=10, choices=ReminderChannel.choices)
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["deadline", "unit", "kind", "offset", "channel"],
            name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline.title} · {self.get_kind_display()}"


class OutcomeStatus(models.TextChoices):
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    NOT_CONFIGURED = "unconfigured", _("未配置")
    ALREADY = "already", _("本小时内已发送")


class ManualReminder(models.Model):
    """One press of 催报: the text as the department wrote it, who sent it and when.

    What happened to each unit on each channel is kept in ReminderOutcome, so the page can
    say which channels went and which failed or are not configured (ReminderSent stays the
    never-twice claim and holds only what really left).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE,
                                 related_name="manual_reminders")
    text = models.TextField(_("催报内容"))
    sent_at = models.DateTimeField(_("发送时间"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("催报")
        verbose_name_plural = _("催报")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.deadline.title} · {self.sent_at:%Y-%m-%d %H:%M}"


class ReminderOutcome(models.Model):
    """What one 催报 did for one unit on one channel."""

    reminder = models.ForeignKey(ManualReminder, on_delete=models.CASCADE,
                                 related_name="outcomes")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("渠道"), max_length=10, choices=ReminderChannel.choices)
    status = models.CharField(_("结果"), max_length=12, choices=OutcomeStatus.choices)
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("催报结果")
        verbose_name_plural = _("催报结果")
        ordering = ["reminder", "unit__code", "pk"]
        constraints = [models.UniqueConstraint(fields=["reminder", "unit", "channel"],
                                               name="one_outcome_per_channel")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_channel_display()} · {self.get_status_display()}"


class FinalSummary(models.Model):
    """A unit's final summary for one summary deadline; its content lives in versions."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT,
                                 related_name="final_summaries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="final_summaries")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动总结")
        verbose_name_plural = _("活动总结")
        ordering = ["deadline__due_at", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"],
                                               name="one_final_summary_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline.title}"

    def latest_version(self) -> "FinalSummaryVersion | None":
        return self.versions.order_by("-number").first()


class FileKind(models.TextChoices):
    NONE = "", _("网页填写")
    DOCX = "docx", _("Word 文档")
    DOC = "doc", _("Word 97-2003 文档")
    PDF = "pdf", _("PDF 文档")


class FinalSummaryVersion(models.Model):
    """What was sent, kept: written text or an uploaded file stored under a random name."""

    summary = models.ForeignKey(FinalSummary, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("总结正文"), blank=True)
    file_kind = models.CharField(_("文件类型"), max_length=8, choices=FileKind.choices,
                                 blank=True, default=FileKind.NONE)
    file_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    size_bytes = models.PositiveIntegerField(_("文件大小"), default=0)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("活动总结版本")
        verbose_name_plural = _("活动总结版本")
        ordering = ["summary", "number"]
        constraints = [models.UniqueConstraint(fields=["summary", "number"],
                                               name="summary_version_unique")]

    def __str__(self) -> str:
        return f"{self.summary} 第{self.number}版"

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.summary.deadline.due_at

    @property
    def relative_path(self) -> str:
        return f"summaries/{self.file_key}.{self.file_kind}" if self.file_key else ""
