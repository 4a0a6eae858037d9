"""The place form: the web page and each row of an imported .xlsx go through it, so both
are checked by the same rules and name the same fields."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.concurrency import VersionField
from campaigndesk.core.textforms import StoredTextMixin
from campaigndesk.formrows import PlainNewlinesMixin

from . import lists
from .models import Kind

LIST_HELP = {
    "services_text": _("每行一项，格式：服务项目：服务对象，例如“个案服务：困境儿童”。"),
    "staff_text": _("每行一人，格式：姓名，岗位，资格，电话；资格如助理社会工作师、社会工作师。"),
    "steps_text": _("每行一步，按先后顺序填写。"),
}


def narrow(value):
    """Full-width digits and signs (１２２．２５, ０４７５－１２３４５６７), as a Chinese input
    method types them, read as the ASCII they stand for, and stored so."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class NarrowDecimalField(forms.DecimalField):
    def to_python(self, value):
        return super().to_python(narrow(value))


class PhoneField(forms.RegexField):
    def to_python(self, value):
        return super().to_python(narrow(value))


class PlaceForm(StoredTextMixin, PlainNewlinesMixin, forms.Form):
    version = VersionField()
    unit = forms.ChoiceField(label=_("所属单位"))
    name = forms.CharField(label=_("场所名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    address = forms.CharField(label=_("地址"), max_length=200)
    hours = forms.CharField(label=_("开放时间"), max_length=100,
                            help_text=_("例如：周一至周五 8:30-12:00，14:30-17:30"))
    content = forms.CharField(label=_("服务内容"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))
    services_text = forms.CharField(label=_("服务清单"), help_text=LIST_HELP["services_text"],
                                    widget=forms.Textarea(attrs={"rows": 5}))
    staff_text = forms.CharField(label=_("服务人员"), help_text=LIST_HELP["staff_text"],
                                 widget=forms.Textarea(attrs={"rows": 4}))
    steps_text = forms.CharField(label=_("服务流程"), help_text=LIST_HELP["steps_text"],
                                 widget=forms.Textarea(attrs={"rows": 5}))
    phone = PhoneField(label=_("联系电话"), regex=lists.PHONE, max_length=30,
                             error_messages={"invalid": _("请填写电话号码，如 0471-6946872")})
    longitude = NarrowDecimalField(label=_("经度"), required=False, min_value=Decimal("97"),
                                   max_value=Decimal("127"), decimal_places=6, max_digits=9,
                                   help_text=_("可不填；内蒙古约在东经97°至127°之间"))
    latitude = NarrowDecimalField(label=_("纬度"), required=False, min_value=Decimal("37"),
                                  max_value=Decimal("54"), decimal_places=6, max_digits=8,
                                  help_text=_("可不填；内蒙古约在北纬37°至54°之间"))
    publish_staff_phones = forms.BooleanField(
        label=_("在公开页面显示服务人员电话"), required=False,
        help_text=_("不勾选时，公开页面和海报只显示联系电话，服务人员电话显示为 138****1234。"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
                self.has_error("latitude") or self.has_error("longitude")):
            self.add_error("latitude" if latitude is None else "longitude",
                           _("经度和纬度须同时填写或同时不填"))
        return cleaned

    def _clean_list(self, name: str, parse):
        try:
            return parse(self.cleaned_data[name])
        except lists.ListError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_services_text(self):
        return self._clean_list("services_text", lists.parse_items)

    def clean_staff_text(self):
        return self._clean_list("staff_text", lists.parse_staff)

    def clean_steps_text(self):
        return self._clean_list("steps_text", lists.parse_steps)


def initial_of(place) -> dict:
    return {
        "version": place.version, "unit": place.unit.code, "name": place.name,
        "kind": place.kind, "address": place.address, "hours": place.hours,
        "content": place.content, "phone": place.phone, "longitude": place.longitude,
        "latitude": place.latitude, "publish_staff_phones": place.publish_staff_phones,
        "services_text": lists.items_text(place.services.all()),
        "staff_text": lists.staff_text(place.staff.all()),
        "steps_text": lists.steps_text(place.steps.all()),
    }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("服务场所登记表（.xlsx）"))


class SignageForm(StoredTextMixin, forms.Form):
    image = forms.FileField(label=_("张贴后的现场照片（JPEG、PNG、WebP、HEIC，不超过20 MB）"))
