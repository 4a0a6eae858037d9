"""The bureau's forms: which units take part and its internal deadlines; a county account."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigndesk.campaigns.cascade import eligible_members
from campaigndesk.campaigns.models import Campaign, Cascade
from campaigndesk.units.models import Role, Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CascadeForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("参加的旗县区"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, campaign: Campaign, bureau: Unit, cascade: Cascade | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = eligible_members(bureau)
        dues = {d.deadline_id: d.due_at for d in cascade.deadlines.all()} if cascade else {}
        if cascade is not None:
            self.fields["members"].initial = list(cascade.members.values_list("pk", flat=True))
        self.deadlines = list(campaign.deadlines.all())
        for deadline in self.deadlines:
            region = timezone.localtime(deadline.due_at)
            self.fields[f"due_{deadline.pk}"] = forms.DateTimeField(
                label=_("%(title)s 内部截止时间") % {"title": deadline.title}, required=False,
                widget=DATETIME, initial=dues.get(deadline.pk),
                help_text=_("自治区截止：%(due)s；须早于此时间") % {
                    "due": f"{region:%Y年%-m月%-d日 %H:%M}"})

    def dues(self) -> dict:
        return {d.pk: self.cleaned_data.get(f"due_{d.pk}") for d in self.deadlines}


class AccountForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[
        (Role.REPORTER, _("旗县区填报员")), (Role.BUREAU_REVIEWER, _("盟市审核员（本局）"))])
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(),
                                  help_text=_("旗县区填报员选参加的旗县区；盟市审核员选本局"))
    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("建议使用单位代码，如 150102"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, strip=False,
                               help_text=_("首次登录时须修改"))
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def __init__(self, *args, cascade: Cascade, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[cascade.bureau_id, *cascade.members.values_list("pk", flat=True)]
        ).order_by("report_path", "code")
