"""The summary at the top of an edit form: 请修改以下 N 处：… naming each place.

A field's own message stays beside the field; the summary lists them all where the page
opens (site.js scrolls to it and focuses it, no inline script under the CSP), so an error
in the fifth card or in a table row is never missed and the page never seems to "reload
unchanged". Templates load it with {% load form_errors %} (registered in settings.TEMPLATES)
and write {% error_summary form deadlines contacts %}; plain strings (a view's own error
message) may be passed as well.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Problem:
    place: str  # "报送节点 第4行 · 名称", "标题", or "" for the form as a whole
    message: str
    anchor: str = ""  # id of the field to jump to


def _form_problems(form: forms.BaseForm, row: str = "") -> list[Problem]:
    found = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            place, anchor = row, ""
        else:
            bound = form[name]
            label = str(form.fields[name].label or name)
            place = f"{row} · {label}" if row else label
            anchor = "" if bound.is_hidden else bound.auto_id or ""
        found.extend(Problem(place, str(message), anchor) for message in errors)
    return found


def _formset_problems(formset: forms.BaseFormSet) -> list[Problem]:
    section = str(getattr(formset, "section", "") or "")
    found = [Problem(section, str(message)) for message in formset.non_form_errors()]
    if not formset.is_bound:
        return found
    for number, form in enumerate(formset.forms, start=1):
        if formset.can_delete and formset._should_delete_form(form):
            continue  # a row marked 删除 is not checked
        row = _("%(section)s 第%(number)s行") % {"section": section, "number": number}
        found.extend(_form_problems(form, row.strip()))
    return found


def problems(*parts, label: str = "", anchor: str = "") -> list[Problem]:
    """Every error of the given forms, formsets and messages, in the order given; `label`
    and `anchor` name the field a view's own message (a string) is about."""
    found: list[Problem] = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, forms.BaseFormSet):
            found.extend(_formset_problems(part))
        elif isinstance(part, forms.BaseForm):
            found.extend(_form_problems(part))
        elif isinstance(part, str):
            found.append(Problem(str(label), part, anchor))
        elif isinstance(part, Iterable):
            found.extend(Problem(str(label), str(message), anchor) for message in part)
    return found


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*parts, label: str = "", anchor: str = ""):
    return {"problems": problems(*parts, label=label, anchor=anchor)}
