"""What came in through the department's mailbox: each message once, its attachments, and
the addresses each unit sends from.

A message row is written (claimed) before the message is processed, and its Message-ID
is unique: two `fetch_mail` runs that overlap can both see a message, only one of them
claims it. Nothing here is reported data: a table becomes a round's submission only when
the unit (or a region user on its behalf) confirms it on the site.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigndesk.campaigns.models import Campaign, Deadline
from campaigndesk.units.models import Unit


class MessageState(models.TextChoices):
    RECEIVED = "received", _("处理中")
    FILED = "filed", _("已分到单位")
    NEEDS_UNIT = "needs_unit", _("待分配单位")
    NOTHING = "nothing", _("无附件")
    FAILED = "failed", _("处理失败")
    DISMISSED = "dismissed", _("不予处理")


class UnitSource(models.TextChoices):
    """How the message's unit was found."""

    ADDRESS = "address", _("单位登记的报送邮箱")
    ACCOUNT = "account", _("填报员账号的邮箱")
    ASSIGNED = "assigned", _("自治区用户分配")


class MailMessage(models.Model):
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # Where it is in the mailbox, so that a run that died half-way can be taken up again.
    uid_validity = models.PositiveBigIntegerField(null=True, blank=True)
    uid = models.PositiveBigIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(_("读取时间"))
    received_at = models.DateTimeField(_("邮件到达时间"), null=True, blank=True,
                                       help_text="the server's INTERNALDATE")
    sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True,
                                   help_text="the Date header, the sender's own clock")
    sender = models.CharField(_("发件人邮箱"), max_length=254, blank=True)
    sender_name = models.CharField(_("发件人"), max_length=200, blank=True)
    subject = models.CharField(_("主题"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=MessageState.choices,
                             default=MessageState.RECEIVED, db_index=True)
    unit = models.ForeignKey(Unit, verbose_name=_("报送单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="mail_messages")
    unit_source = models.CharField(_("单位来源"), max_length=16, choices=UnitSource.choices,
                                   blank=True)
    # Codes of the units the sender's address is registered for, when more than one.
    candidates = models.JSONField(default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送邮件")
        verbose_name_plural = _("报送邮件")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.subject or self.message_id

    @property
    def state_css(self) -> str:
        return {MessageState.FILED: "on_time", MessageState.NEEDS_UNIT: "open",
                MessageState.FAILED: "missing", MessageState.RECEIVED: "late"}.get(
            self.state, "closed")

    @property
    def counted_at(self):
        """The time the mail counts from: its arrival at the mailbox, else its own date."""
        return self.received_at or self.sent_at or self.claimed_at


class AttachmentKind(models.TextChoices):
    TABLE = "table", _("统计表")
    BRIEF = "brief", _("宣传稿件")
    PHOTO = "photo", _("照片")
    OTHER = "other", _("其他附件")


class AttachmentState(models.TextChoices):
    PENDING = "pending", _("待确认")
    WORKING = "working", _("正在导入")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("不予采用")
    REFUSED = "refused", _("已拒收")
    KEPT = "kept", _("留存备查")


class MailAttachment(models.Model):
    message = models.ForeignKey(MailMessage, on_delete=models.PROTECT,
                                related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(_("文件名"), max_length=200)
    # The forwarded message (.eml) the file was inside, if any.
    inside = models.CharField(_("所在转发邮件"), max_length=300, blank=True)
    kind = models.CharField(_("类别"), max_length=8, choices=AttachmentKind.choices)
    state = models.CharField(_("状态"), max_length=12, choices=AttachmentState.choices,
                             db_index=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    # The stored file's random name (intake.storage); empty for a refused attachment.
    key = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Where it goes: the campaign and round the mail's time falls in (tables), set when
    # the unit is known.
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    # What it became.
    report = models.ForeignKey("progress.Report", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey("articles.Article", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件附件")
        verbose_name_plural = _("邮件附件")
        ordering = ["message", "position", "pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def state_css(self) -> str:
        return {AttachmentState.PENDING: "open", AttachmentState.WORKING: "late",
                AttachmentState.CONFIRMED: "on_time",
                AttachmentState.REFUSED: "missing"}.get(self.state, "closed")


class UnitMailAddress(models.Model):
    """An address a unit sends its tables and briefs from (besides its reporters' account
    addresses). An address may be registered for several units; mail from it then waits
    in the intake inbox for a region user to say which."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="mail_addresses")
    address = models.CharField(_("电子邮箱"), max_length=254, db_index=True)
    note = models.CharField(_("备注"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位报送邮箱")
        verbose_name_plural = _("单位报送邮箱")
        ordering = ["unit__code", "address"]
        constraints = [models.UniqueConstraint(fields=["unit", "address"],
                                               name="unit_mail_address_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.address}"


class MailboxMark(models.Model):
    """How far the mailbox has been read: the highest UID claimed, per mailbox and
    UIDVALIDITY. Only a shortcut; the Message-ID is what keeps a message from being taken
    twice."""

    mailbox = models.CharField(max_length=255, unique=True)
    uid_validity = models.PositiveBigIntegerField(default=0)
    last_uid = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("邮箱读取位置")
        verbose_name_plural = _("邮箱读取位置")

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uid_validity}:{self.last_uid}"
