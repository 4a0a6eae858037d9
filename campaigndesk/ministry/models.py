"""What the ministry keeps of the provinces' packages (issue 17 point 2).

A package is stored as read, not merged into this installation's units: the provinces'
units, rounds and briefs are not this installation's, they arrive as a province's signed-off
figures. One package per province and year; a newer one replaces it whole
(services.import_package).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return uuid.uuid4().hex


def media(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


class ProvincePackage(models.Model):
    province_code = models.CharField(_("省份代码"), max_length=6)
    province_name = models.CharField(_("省份"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年度"))
    campaign_title = models.CharField(_("活动名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    format_version = models.PositiveSmallIntegerField(_("格式版本"))
    producer = models.JSONField(_("制作方"), default=dict)
    created_at = models.DateTimeField(_("材料包生成时间"))
    sha256 = models.CharField(_("材料包 SHA-256"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("材料包大小"))
    file_name = models.CharField(_("上传文件名"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    # The province's totals as the package states them (checked against its rows on import).
    reporting_units = models.PositiveIntegerField(_("报送单位数"), default=0)
    activities = models.PositiveBigIntegerField(_("活动数"), default=0)
    participants = models.PositiveBigIntegerField(_("参与人次"), default=0)
    beneficiaries = models.PositiveBigIntegerField(_("受益人次"), default=0)
    funds_fen = models.PositiveBigIntegerField(_("链接资金（分）"), default=0)
    materials_fen = models.PositiveBigIntegerField(_("链接物资折价（分）"), default=0)
    # summary.json as read, and its document stored under a random name.
    summary = models.JSONField(_("活动总结"), default=dict)
    summary_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    summary_suffix = models.CharField(max_length=8, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("省级材料包")
        verbose_name_plural = _("省级材料包")
        ordering = ["year", "province_code"]
        constraints = [models.UniqueConstraint(fields=["province_code", "year"],
                                               name="one_package_per_province_year")]

    def __str__(self) -> str:
        return f"{self.province_name} · {self.campaign_title}"

    @property
    def summary_relative_path(self) -> str:
        return f"ministry/{self.summary_key}{self.summary_suffix}"

    @property
    def summary_path(self) -> Path:
        return media(self.summary_relative_path)


class ProvinceFigure(models.Model):
    """One unit's submitted figures in one round, as the province counted them."""

    package = models.ForeignKey(ProvincePackage, on_delete=models.CASCADE,
                                related_name="figures")
    unit_code = models.CharField(_("单位代码"), max_length=20)
    unit_name = models.CharField(_("单位"), max_length=100)
    round_number = models.PositiveSmallIntegerField(_("轮次"))
    round_title = models.CharField(_("报送节点"), max_length=100)
    activities = models.PositiveBigIntegerField(_("活动数"))
    participants = models.PositiveBigIntegerField(_("参与人次"))
    beneficiaries = models.PositiveBigIntegerField(_("受益人次"))
    funds_fen = models.PositiveBigIntegerField(_("链接资金（分）"))
    materials_fen = models.PositiveBigIntegerField(_("链接物资折价（分）"))

    class Meta:
        verbose_name = _("省级统计")
        verbose_name_plural = _("省级统计")
        ordering = ["package", "round_number", "unit_code"]

    def __str__(self) -> str:
        return f"{self.unit_name} · {self.round_title}"


class ProvinceBrief(models.Model):
    package = models.ForeignKey(ProvincePackage, on_delete=models.CASCADE,
                                related_name="briefs")
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    unit_code = models.CharField(_("单位代码"), max_length=20)
    unit_name = models.CharField(_("供稿单位"), max_length=100)
    time_text = models.CharField(_("时间"), max_length=200, blank=True)
    place_text = models.CharField(_("地点"), max_length=200, blank=True)
    recipients_text = models.CharField(_("服务对象"), max_length=200, blank=True)
    participants_text = models.CharField(_("参与人员"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    is_typical = models.BooleanField(_("典型案例"), default=False)
    recommended_at = models.DateTimeField(_("推荐时间"))
    publications = models.JSONField(_("发布情况"), default=list)

    class Meta:
        verbose_name = _("省级推荐稿件")
        verbose_name_plural = _("省级推荐稿件")
        ordering = ["package", "number"]

    def __str__(self) -> str:
        return self.title


class ProvincePhoto(models.Model):
    brief = models.ForeignKey(ProvinceBrief, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    size_bytes = models.PositiveIntegerField(_("文件大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("省级稿件照片")
        verbose_name_plural = _("省级稿件照片")
        ordering = ["brief", "position"]

    def __str__(self) -> str:
        return self.caption or self.key

    @property
    def relative_path(self) -> str:
        return f"ministry/{self.key}.jpg"

    @property
    def path(self) -> Path:
        return media(self.relative_path)
