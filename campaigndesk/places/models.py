"""The register of social-work service places (notice activity （三）, issue 16).

A place belongs to a unit (the county or township unit it is under). The six items the
notice asks to display are: name, service content, service list, staff, service process
and contact. Lists are rows of their own, kept in the order they were typed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STATION = "station", _("社工站")
    ROOM = "room", _("社工室")
    SCHOOL = "school", _("学校社工点")
    HOSPITAL = "hospital", _("医院社工点")
    OTHER = "other", _("其他")


class Place(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="places",
                             verbose_name=_("所属单位"))
    name = models.CharField(_("场所名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("开放时间"), max_length=100)
    content = models.TextField(_("服务内容"), max_length=500)
    phone = models.CharField(_("联系电话"), max_length=30)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=8, decimal_places=6, null=True,
                                   blank=True)
    # Staff phones are personal data: shown on the public page only when the place says so.
    publish_staff_phones = models.BooleanField(_("公开服务人员电话"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("服务场所")
        verbose_name_plural = _("服务场所")
        ordering = ["unit__code", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="place_unique_name_in_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_location(self) -> bool:
        return self.longitude is not None and self.latitude is not None


class ServiceItem(models.Model):
    """One line of the service list: what is offered and to whom (对象)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="services")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("服务项目"), max_length=100)
    audience = models.CharField(_("服务对象"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="staff")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("岗位"), max_length=50, blank=True)
    qualification = models.CharField(_("资格"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("服务人员")
        verbose_name_plural = _("服务人员")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("步骤"), max_length=200)

    class Meta:
        verbose_name = _("服务流程步骤")
        verbose_name_plural = _("服务流程步骤")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class PosterSize(models.TextChoices):
    A4 = "a4", _("A4")
    A3 = "a3", _("A3")
    BOARD = "board", _("60×90厘米展板")


class PosterPrint(models.Model):
    """A poster of a place was generated in a campaign (one row per size, with a count)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="posters")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE,
                                 related_name="place_posters")
    size = models.CharField(max_length=8, choices=PosterSize.choices)
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("海报生成记录")
        verbose_name_plural = _("海报生成记录")
        constraints = [models.UniqueConstraint(fields=["place", "campaign", "size"],
                                               name="poster_once_per_size")]

    def __str__(self) -> str:
        return f"{self.place} · {self.get_size_display()}"


def signage_key() -> str:
    return uuid.uuid4().hex


class Signage(models.Model):
    """The reporter's photo of the sign as posted: the place's signage is confirmed in that
    campaign. Stored as a fresh JPEG (articles.photos.process: no EXIF, no GPS)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="signage")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE,
                                 related_name="place_signage")
    key = models.CharField(max_length=32, unique=True, default=signage_key, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    phash = models.CharField(max_length=32)
    original_name = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("标识张贴照片")
        verbose_name_plural = _("标识张贴照片")
        constraints = [models.UniqueConstraint(fields=["place", "campaign"],
                                               name="signage_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.place} · 标识张贴照片"

    @property
    def relative_path(self) -> str:
        return f"signage/{self.key[:2]}/{self.key}.jpg"

    @property
    def thumb_relative_path(self) -> str:
        return f"signage/{self.key[:2]}/{self.key}-thumb.jpg"
