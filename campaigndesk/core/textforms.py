"""The forms' side of campaigndesk/core/characters.py: every text field of a form that stores
text refuses control characters, naming the field, and loses its invisible characters,
counted so that the page can say so once.

A refused form is shown again without the control characters, and the refusal says so: a
NUL written back into the page came back from the browser as U+FFFD ("�"), which is no
control character and was then saved.

A NUL used to be refused before any view ran (security.errors), with a bare page that named
no field and dropped what was typed; a view whose forms all use this mixin is marked
`checks_text`, and the NUL reaches the form like any other control character."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import ngettext

from .characters import (
    CONTROL_RE,
    control_description,
    invisible_count,
    without_control,
    without_invisible,
)


class NoControlCharacters:
    """A field validator: the refusal names the field by its label."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        if isinstance(value, str) and (said := control_description(value, str(self.label))):
            # The form shows the text again without them (StoredTextMixin._clean_fields).
            raise ValidationError(f"{said}，通常是从其他程序复制时带入的；已从该栏删除，"
                                  "请核对后再保存", code="control_character")


def _checked(field: forms.Field) -> bool:
    # Passwords are never stored as text (only their hash) and must be taken as typed.
    return isinstance(field, forms.CharField) and not isinstance(field.widget,
                                                                 forms.PasswordInput)


class StoredTextMixin:
    """For a form whose text fields are stored: see the module docstring. After is_valid(),
    `invisible_removed` is how many invisible characters the cleaned texts lost."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invisible_removed = 0
        for name, field in self.fields.items():
            if _checked(field):
                # Ours names the field and covers NUL with every other control character.
                field.validators = [v for v in field.validators
                                    if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.insert(0, NoControlCharacters(field.label or name))

    def _clean_fields(self) -> None:
        super()._clean_fields()
        self._show_without_control()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str) and _checked(self.fields[name]):
                if removed := invisible_count(value):
                    self.cleaned_data[name] = without_invisible(value)
                    self.invisible_removed += removed


    def _show_without_control(self) -> None:
        """What was typed, as the form will show it again, without the refused characters."""
        data = None
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            value = self.data.get(key) if _checked(field) else None
            if isinstance(value, str) and CONTROL_RE.search(value):
                if data is None:
                    data = self.data.copy()  # request.POST is immutable
                data[key] = without_control(value)
        if data is not None:
            self.data = data


def removed_count(*forms_: object) -> int:
    """The invisible characters the given forms (and formsets' forms) removed."""
    total = 0
    for form in forms_:
        members = getattr(form, "forms", None)
        for member in (members if members is not None else [form]):
            total += getattr(member, "invisible_removed", 0)
    return total


def say_removed(request, count: int) -> None:
    """Tells the user once, after a save, what was taken out of the text."""
    if count:
        messages.info(request, ngettext(
            "已删除%(n)d个不可见字符（零宽字符、软连字符或文字方向控制符），它们会隐藏错别字或使文字倒序显示",
            "已删除%(n)d个不可见字符（零宽字符、软连字符或文字方向控制符），它们会隐藏错别字或使文字倒序显示",
            count) % {"n": count})


def checks_text(view):
    """Marks a view whose posted text all goes through StoredTextMixin forms, so the early
    NUL refusal (security.errors.ErrorMiddleware) lets it through to the form."""
    view.checks_text = True
    return view
