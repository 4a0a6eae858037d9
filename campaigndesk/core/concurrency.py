"""Optimistic locking for edit forms: nothing is silently overwritten.

An edit form carries the record's `version` as a hidden field. The service locks the row
(select_for_update), compares, and refuses a save made from an older version with
EditConflict; the view then shows the user's own input again, with the current version in
the hidden field, so that a second, deliberate save after merging goes through.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONFLICT_MESSAGE = _(
    "保存失败：在您编辑期间，其他人已修改并保存了这条记录（当前为第 %(current)s 版，"
    "您打开的是第 %(expected)s 版）。您填写的内容仍保留在下方，请与最新内容核对合并后再次保存。"
)


class EditConflict(ValidationError):
    def __init__(self, expected: int, current: int) -> None:
        super().__init__(CONFLICT_MESSAGE % {"current": current, "expected": expected},
                         code="edit_conflict")
        self.expected = expected
        self.current = current


def check_version(obj, expected: int | None, field: str = "version") -> None:
    """Raise EditConflict unless `expected` is None (no form involved) or current."""
    if expected is None:
        return
    current = getattr(obj, field)
    if int(expected) != current:
        raise EditConflict(int(expected), current)


class VersionField(forms.IntegerField):
    """The hidden field an edit form carries; see the module docstring."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def refresh_version(form, current: int, name: str = "version") -> None:
    """After a conflict, the re-shown form must carry the version now in the database."""
    data = form.data.copy()
    data[name] = str(current)
    form.data = data


def show_conflict(form, conflict: EditConflict) -> None:
    """Put the conflict on the form the user sent, which keeps their input, and give it the
    current version so that saving again after merging goes through."""
    form.add_error(None, conflict.messages)
    refresh_version(form, conflict.current)
