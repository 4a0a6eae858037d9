from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigndesk.units.permissions import Action, require

from . import chain, labels
from .changes import change_rows
from .models import AuditEntry


def _action_choices():
    return [("", _("全部操作")), *sorted(((code, str(label)) for code, label in
                                          labels.ACTION_LABELS.items()), key=lambda c: c[1])]


def _object_type_choices():
    # The types present in the log (an indexed column), each by its Chinese name.
    # order_by(): the model's default ordering would make DISTINCT one row per entry.
    present = AuditEntry.objects.exclude(object_type="").order_by().values_list(
        "object_type", flat=True).distinct()
    return [("", _("全部对象")), *sorted(((t, labels.object_type_label(t)) for t in present),
                                       key=lambda c: c[1])]


class AuditFilterForm(forms.Form):
    """Filters in words: the auditor picks 操作 and 对象类型 by their Chinese names."""

    user = forms.CharField(label=_("用户名"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=_action_choices)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False,
                                    choices=_object_type_choices)
    date_from = forms.DateField(label=_("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, entries):
        data = self.cleaned_data
        if data["user"]:
            entries = entries.filter(actor_username__icontains=data["user"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["date_from"]:
            entries = entries.filter(
                at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min))
            )
        if data["date_to"]:
            entries = entries.filter(
                at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max))
            )
        return entries


@require(Action.READ_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        entries = form.filter(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.rows = change_rows(entry.object_type, entry.changes)
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_table.html" if request.headers.get("HX-Request") else "audit/log.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@require(Action.READ_AUDIT)
def audit_chain(request):
    """The state of the whole hash chain, loaded by the log page after it shows: checking
    takes about 30 µs an entry, seconds for a large log."""
    return render(request, "audit/_chain.html", {"chain": chain.verify(AuditEntry.objects)})
