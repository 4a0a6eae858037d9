"""Rows of an edit form (deadlines, contacts, …) and text as browsers send it.

Every formset of the product is built on RowFormSet, so that the spare blank row at the end
of a table is ignored when it is left as the page showed it. Django skips an extra form only
when nothing in it "has changed" against its initial values, but a <select> without an
initial value still shows — and the browser still sends — its first option, so an untouched
spare row came back "changed" and failed with 这个字段是必填项 on every empty field. Here an
extra row whose choice fields are still on the option the page shows counts as untouched,
which makes "untouched" mean what the user sees. A row that is half filled in is still
checked field by field.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


def _first_choice(field: forms.ChoiceField) -> str | None:
    """The value of the option a browser selects in a single select with none marked."""
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an <optgroup>: its first option
            return str(label[0][0]) if label else None
        return str(value)
    return None


class SpareRowMixin:
    """A row form that is "unchanged" when it is as the page showed it: a select without an
    initial value counts as untouched on its first option (what the browser sends) or on
    nothing at all (what a script may send)."""

    def has_changed(self) -> bool:
        return any(not self._shown_as_rendered(name) for name in self.changed_data)

    def _shown_as_rendered(self, name: str) -> bool:
        field = self.fields[name]
        if (not isinstance(field, forms.ChoiceField)
                or isinstance(field, forms.MultipleChoiceField)
                or self.get_initial_for_field(field, name) not in (None, "")):
            return False
        posted = self[name].data
        return posted in (None, "") or str(posted) == _first_choice(field)


class RowFormSet(forms.BaseFormSet):
    """A formset whose untouched spare rows are ignored; `section` names the table in the
    error summary at the top of the form (formerrors.problems)."""

    section = ""
    default_error_messages = {
        "too_few_forms": _("请至少填写 %(num)d 行"),
        "too_many_forms": _("最多填写 %(num)d 行"),
    }

    def kept(self) -> list:
        """The rows to save: filled in and not marked 删除 (`data_object()` of each form)."""
        return [
            form.data_object()
            for form in self.forms
            # An untouched spare row is valid with empty cleaned_data: nothing to save.
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        ]


def row_formset(form, *, section: str, **options) -> type[RowFormSet]:
    """formset_factory for the rows of an edit form: see the module docstring."""
    row_form = type(form.__name__, (SpareRowMixin, form), {"__module__": form.__module__})
    formset = forms.formset_factory(row_form, formset=RowFormSet, **options)
    formset.section = section
    return formset


def plain_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; the database keeps LF, as every other
    way in (the demo, .docx import, the command line) writes it, so that saving a form
    unchanged changes nothing and proofreading offsets stay the same."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PlainTextarea(forms.Textarea):
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return plain_newlines(value) if isinstance(value, str) else value


class PlainNewlinesMixin:
    """For forms with textareas: their text comes in with LF line breaks (plain_newlines),
    before any cleaning and before has_changed compares it with the stored text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Textarea:
                field.widget = PlainTextarea(attrs=field.widget.attrs)
