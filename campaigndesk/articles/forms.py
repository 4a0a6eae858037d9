from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigndesk.core.concurrency import VersionField
from campaigndesk.core.textforms import StoredTextMixin
from campaigndesk.formrows import PlainNewlinesMixin

from . import limits
from .models import Article, Channel

TEXT = {"class": "wide"}


class ArticleForm(StoredTextMixin, PlainNewlinesMixin, forms.ModelForm):
    """The unit's brief: text, linked activity and the four elements to confirm."""

    version = VersionField()

    class Meta:
        model = Article
        fields = ["title", "activity", "body", "time_text", "place_text", "recipients_text",
                  "participants_text"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "body": forms.Textarea(attrs={"rows": 16, "class": "brief-body",
                                          "data-counted": ""}),
        }
        help_texts = {
            "body": _("新闻简讯；写明时间、地点、服务对象、参与人员。"),
            "time_text": _("由校对程序根据正文预填，请核对或修改。"),
        }

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].required = False
        self.fields["activity"].empty_label = _("（不关联活动）")
        # Chinese paragraphs start with two full-width spaces (　　); Django's strip took
        # them off the first paragraph only (services.body_text trims the ends).
        self.fields["body"].strip = False
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        self.fields["activity"].label_from_instance = (
            lambda a: f"{a.name}（{a.start_date:%m月%d日}）" if a.start_date else a.name)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if problem := limits.body_too_long(body):
            raise forms.ValidationError(problem, code="too_long")
        return body


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Word 文档（.docx）"))

    def refusal(self) -> str:
        """Why the upload was not taken: a chosen file that is empty is named as such
        (Django's FileField refuses it as "empty", which read as if nothing was chosen)."""
        chosen = self.files.get("file")
        if chosen is not None and not chosen.size:
            return gettext("“%(name)s”是空文件（0 字节），没有可导入的内容：请在 Word 或 WPS "
                           "中打开原文档，保存后重新选择") % {"name": (chosen.name or "")[:80]}
        if chosen is not None:
            return " ".join(str(e) for e in self.errors.get("file", [])) or gettext(
                "无法读取所选文件")
        return gettext("请选择要导入的 Word 文档（.docx）")


class PhotoForm(StoredTextMixin, forms.Form):
    """The caption of one upload; the files themselves (several, under the name "image",
    from the gallery choice and the camera choice) are read from request.FILES."""
    caption = forms.CharField(label=_("图片说明"), max_length=200, required=False,
                              help_text=_("一次选了多张时，每张都用这条说明；上传后可逐张修改。"))


class SubmitForm(StoredTextMixin, forms.Form):
    justification = forms.CharField(
        label=_("未修改问题的说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("校对仍提示“错误”时必须填写，审核员可见。"))
    confirm = forms.BooleanField(label=_("我已核对四要素（时间、地点、服务对象、参与人员）"),
                                 error_messages={"required": _("请勾选“我已核对四要素”后再报送")})


class CommentForm(StoredTextMixin, forms.Form):
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The selected words as the browser read them: the server checks them against start/end.
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(StoredTextMixin, forms.Form):
    reason = forms.CharField(label=_("退回修改意见"), widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    channel = forms.ChoiceField(label=_("发布渠道"), choices=Channel.choices)
    date = forms.DateField(label=_("发布日期"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DeleteForm(StoredTextMixin, forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=300,
                             widget=forms.TextInput(attrs={"class": "wide"}))
