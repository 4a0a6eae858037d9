"""News briefs (附件2): the brief, every submitted text, its photos, review comments, where it
was published, and the on-site notices that tell a unit what happened to it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress.models import Activity
from campaigndesk.units.models import Unit


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    # Issue 17: a county's brief waits for its league bureau, which returns or forwards it.
    FOR_BUREAU = "for_bureau", _("待盟市审核")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新报送")
    ACCEPTED = "accepted", _("已采用")
    TYPICAL = "typical", _("典型案例")
    PUBLISHED = "published", _("已发布")


# States in which the unit may still change the text and photos.
EDITABLE = {State.DRAFT, State.RETURNED}
# States waiting for a reviewer's decision.
IN_REVIEW = {State.SUBMITTED, State.RESUBMITTED}
# States reached once a reviewer accepted the brief (publish, typical, recommend apply).
ACCEPTED_STATES = {State.ACCEPTED, State.TYPICAL, State.PUBLISHED}


class Channel(models.TextChoices):
    WEBSITE = "website", _("厅门户网站")
    WECHAT = "wechat", _("微信公众平台")
    MAGAZINE = "magazine", _("《内蒙古民政》杂志")


class ArticleQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)


class Article(models.Model):
    """One brief of one unit in one campaign.

    `state` is the step of the review workflow; being a typical case and being recommended
    to the ministry are kept as dates of their own because they survive publication (a
    published brief can still be a typical case, and recommending is independent of both).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="articles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="articles")
    activity = models.ForeignKey(Activity, verbose_name=_("关联活动"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="articles")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    time_text = models.CharField(_("时间"), max_length=200, blank=True)
    place_text = models.CharField(_("地点"), max_length=200, blank=True)
    recipients_text = models.CharField(_("服务对象"), max_length=200, blank=True)
    participants_text = models.CharField(_("参与人员"), max_length=200, blank=True)
    justification = models.TextField(_("未修改问题的说明"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    typical_at = models.DateTimeField(_("评为典型案例时间"), null=True, blank=True)
    recommended_at = models.DateTimeField(_("推荐至民政部时间"), null=True, blank=True)
    # Optimistic locking for the writing form (campaigndesk.core.concurrency).
    version = models.PositiveIntegerField(default=0, editable=False)
    # Briefs are never hard-deleted by users: a deletion is recorded with who and why and a
    # region administrator can restore it (issue 7 point 14).
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("删除人"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    deleted_reason = models.CharField(_("删除原因"), max_length=300, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传稿件")
        verbose_name_plural = _("宣传稿件")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "unit"], name="article_campaign_unit")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE and self.deleted_at is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_typical(self) -> bool:
        return self.typical_at is not None

    @property
    def is_recommended(self) -> bool:
        return self.recommended_at is not None

    def latest_version(self) -> "ArticleVersion | None":
        return self.versions.order_by("-number").first()

    def latest_version_number(self) -> int:
        """The number of the latest submitted version, 0 before the first submission."""
        return self.versions.order_by("-number").values_list("number", flat=True).first() or 0

    def publication(self, channel: str) -> "ChannelPublication | None":
        return next((p for p in self.publications.all() if p.channel == channel), None)


class ArticleVersion(models.Model):
    """What the unit sent, frozen at each submission; earlier versions are never changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    elements = models.JSONField(_("四要素"), default=dict)
    findings = models.JSONField(_("校对结果"), default=list)
    justification = models.TextField(_("未修改问题的说明"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"))
    # The reviewer's overall reason when this version was sent back (退回修改意见): shown
    # where the reporter works (the brief page and the edit page), not only in a notice.
    return_reason = models.TextField(_("退回修改意见"), blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("退回人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("稿件版本")
        verbose_name_plural = _("稿件版本")
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"],
                                               name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版"

    @property
    def open_errors(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") == "error"]


class ReadMark(models.Model):
    """The version a reviewer last opened, and the one before it: the diff a reviewer sees
    on a resubmission is against what they read, not merely the previous version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    version = models.PositiveIntegerField(default=0)
    previous = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("已读记录")
        verbose_name_plural = _("已读记录")
        constraints = [models.UniqueConstraint(fields=["article", "user"],
                                               name="one_read_mark")]

    def __str__(self) -> str:
        return f"{self.user} 已读 {self.article} 第{self.version}版"


def photo_name() -> str:
    return uuid.uuid4().hex


class Photo(models.Model):
    """A photo as stored: re-encoded JPEG without EXIF (no GPS), under a random name.

    The uploader's file name is kept for display only; files are addressed by `key`.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos")
    key = models.CharField(max_length=32, unique=True, default=photo_name, editable=False)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    source_format = models.CharField(_("原格式"), max_length=8)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    size_bytes = models.PositiveIntegerField(_("文件大小"))
    phash = models.CharField(_("感知哈希"), max_length=16, db_index=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("稿件照片")
        verbose_name_plural = _("稿件照片")
        ordering = ["article", "position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name or self.key

    @property
    def relative_path(self) -> str:
        return f"photos/{self.key}.jpg"

    @property
    def thumb_relative_path(self) -> str:
        return f"photos/{self.key}.thumb.jpg"


class ReviewComment(models.Model):
    """A reviewer's remark on a span of the body of one version.

    start/end are code points into that version's body (canonical text: LF, NFC); `quote` is
    the whole selected text, by which the remark is found again in later versions
    (campaigndesk.articles.anchors)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE,
                                related_name="comments")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(_("所选文字"))
    text = models.TextField(_("审核意见"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                              name="comment_span_not_empty")]

    def __str__(self) -> str:
        return self.text[:40]


class ChannelPublication(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publications")
    channel = models.CharField(_("发布渠道"), max_length=16, choices=Channel.choices)
    date = models.DateField(_("发布日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")
        ordering = ["date", "channel"]
        constraints = [models.UniqueConstraint(fields=["article", "channel"],
                                               name="one_publication_per_channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date:%Y-%m-%d}"


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The notices a user reads: their own and their unit's."""
        mine = models.Q(user=user)
        if user.unit_id:
            mine |= models.Q(unit_id=user.unit_id)
        return self.filter(mine)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An on-site notification, for a whole unit or for one person. Kept generic (a link and
    a sentence) so that other parts of the product can notify the same way."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="notices")
    # The campaign it is about: two campaigns both have a 第一次工作进展报送, and a unit's page
    # of one campaign must not list the other's returns as its own.
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="notices",
                                 verbose_name=_("活动"))
    text = models.CharField(_("通知内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(unit__isnull=False) | models.Q(user__isnull=False),
            name="notice_has_recipient")]

    def __str__(self) -> str:
        return self.text
