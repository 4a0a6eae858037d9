from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.concurrency import VersionField
from campaigndesk.core.textforms import StoredTextMixin
from campaigndesk.formrows import PlainNewlinesMixin, row_formset
from campaigndesk.units.models import Unit

from . import limits
from .models import Campaign, DeadlineKind, VocabularyKind
from .services import CAMPAIGN_FIELDS, ContactData, DeadlineData
from .vocabulary import DEFAULT_LISTS

VOCABULARY_FIELDS = {
    VocabularyKind.FOCUS_TOPIC: "focus_topics",
    VocabularyKind.ACTIVITY_TYPE: "activity_types",
    VocabularyKind.SERVICE_AREA: "service_areas",
    VocabularyKind.FIVE_SOCIAL: "five_social",
}


def _lines(text: str) -> list[str]:
    return [line.strip(" \t-•·") for line in text.splitlines() if line.strip(" \t-•·")]


def _range_messages(message) -> dict:
    return dict.fromkeys(("invalid", "min_value", "max_value"), message)


class CampaignForm(StoredTextMixin, PlainNewlinesMixin, forms.ModelForm):
    # campaigns.limits: the model's columns would take year 99999 and 99999999999 photos.
    year = forms.IntegerField(
        label=_("年度"), min_value=limits.YEARS.start, max_value=limits.YEARS.stop - 1,
        error_messages=_range_messages(_("年度应在 2000—2100 之间")))
    min_photos = forms.IntegerField(
        label=_("每篇稿件至少照片数"), min_value=limits.MIN_PHOTOS.start,
        max_value=limits.MIN_PHOTOS.stop - 1, initial=2,
        help_text=Campaign._meta.get_field("min_photos").help_text,
        error_messages=_range_messages(_("每篇稿件至少照片数应在 0—20 之间")))
    participants = forms.ModelMultipleChoiceField(
        label=_("参加单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("默认为全部直报单位：12个盟市和满洲里市、二连浩特市"),
    )
    focus_topics = forms.CharField(label=_("宣传内容"), widget=forms.Textarea(attrs={"rows": 7}),
                                   help_text=_("每行一项"))
    activity_types = forms.CharField(label=_("宣传活动"), widget=forms.Textarea(attrs={"rows": 6}),
                                     help_text=_("每行一项"))
    service_areas = forms.CharField(label=_("服务领域"), widget=forms.Textarea(attrs={"rows": 6}),
                                    help_text=_("每行一项；以“其他”开头的一项可由填报人补充说明"))
    five_social = forms.CharField(label=_("五社联动要素"), widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("每行一项"))
    version = VersionField()

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notice_text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reporting = Unit.objects.active().reporting().order_by("code")
        self.fields["participants"].queryset = reporting
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["participants"] = list(
                self.instance.participants.values_list("pk", flat=True)
            )
            for kind, name in VOCABULARY_FIELDS.items():
                self.initial[name] = "\n".join(i.label for i in self.instance.vocabulary(kind))
        else:
            self.initial.setdefault("participants", list(reporting.values_list("pk", flat=True)))
            for kind, name in VOCABULARY_FIELDS.items():
                self.initial.setdefault(name, "\n".join(DEFAULT_LISTS[kind]))

    def clean(self):
        data = super().clean()
        start, end, year = data.get("start_date"), data.get("end_date"), data.get("year")
        if year is not None:
            for name in ("start_date", "end_date"):
                if data.get(name) and (problem := limits.date_problem(year, data[name])):
                    self.add_error(name, f"{self.fields[name].label}{problem}")
        if start and end and end < start and "end_date" not in self.errors:
            self.add_error("end_date", gettext("结束日期不能早于开始日期"))
        low, about, high = (data.get(name) for name in (
            "brief_min_length", "brief_length", "brief_max_length"))
        if None not in (low, about, high) and not low <= about <= high:
            self.add_error("brief_length", gettext(
                "稿件字数应满足：下限 ≤ 字数要求 ≤ 上限（现为 %(low)s、%(about)s、%(high)s）")
                % {"low": low, "about": about, "high": high})
        return data

    def campaign_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}

    def vocabulary(self) -> dict[str, list[str]]:
        return {kind: _lines(self.cleaned_data[name]) for kind, name in VOCABULARY_FIELDS.items()}


class ContactForm(StoredTextMixin, forms.Form):
    name = forms.CharField(label=_("联系人"), max_length=50)
    office = forms.CharField(label=_("处室"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def data_object(self) -> ContactData:
        return ContactData(**{k: v for k, v in self.cleaned_data.items() if k != "DELETE"})


class DeadlineForm(StoredTextMixin, forms.Form):
    # The deadline the row edits, so that renaming it keeps its reports (campaigns.lists).
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=DeadlineKind.choices)
    title = forms.CharField(label=_("名称"), max_length=100)
    due_at = forms.DateTimeField(
        label=_("截止时间（北京时间）"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def data_object(self) -> DeadlineData:
        data = self.cleaned_data
        return DeadlineData(kind=data["kind"], title=data["title"], due_at=data["due_at"],
                            pk=data.get("id"))


ContactFormSet = row_formset(ContactForm, section=_("联系人"), extra=1, can_delete=True)
DeadlineFormSet = row_formset(DeadlineForm, section=_("报送节点"), extra=1, can_delete=True,
                              min_num=1, validate_min=True)


def kept(formset) -> list:
    return formset.kept()


def check_deadline_dates(formset, campaign_data: dict) -> bool:
    """Each row's 截止时间 against the campaign's year and start (campaigns.limits), shown
    beside the row; False when a row was refused."""
    year, start = campaign_data.get("year"), campaign_data.get("start_date")
    if year is None:
        return True
    ok = True
    for form in formset.forms:
        due_at = getattr(form, "cleaned_data", {}).get("due_at")
        if due_at and not (formset.can_delete and formset._should_delete_form(form)):
            if problem := limits.due_problem(year, start, due_at):
                form.add_error("due_at", gettext("截止时间") + problem)
                ok = False
    return ok


def formset_initial(campaign: Campaign | None):
    if campaign is None:
        return [], []
    contacts = [
        {"name": c.name, "office": c.office, "phone": c.phone, "email": c.email}
        for c in campaign.contacts.all()
    ]
    deadlines = [
        {"id": d.pk, "kind": d.kind, "title": d.title, "due_at": timezone.localtime(d.due_at)}
        for d in campaign.deadlines.all()
    ]
    return contacts, deadlines


YEAR_ERROR = _("请填写正确的年度（2000—2100）")


class CopyForm(StoredTextMixin, forms.Form):
    year = forms.IntegerField(label=_("新活动年度"), min_value=2000, max_value=2100,
                              error_messages=dict.fromkeys(
                                  ("required", "invalid", "min_value", "max_value"), YEAR_ERROR))
    title = forms.CharField(label=_("新活动名称"), max_length=200, required=False,
                            help_text=_("留空则把原名称中的年份换成新年度"))


class ReasonForm(StoredTextMixin, forms.Form):
    """Closing or reopening a campaign: the reason goes into the audit log."""

    reason = forms.CharField(label=_("原因"), max_length=200,
                             widget=forms.TextInput(attrs={"size": 40}),
                             error_messages={
                                 "required": _("请填写原因"),
                                 "max_length": _(
                                     "原因最多 %(limit_value)d 字，现有 %(show_value)d 字"),
                             })
