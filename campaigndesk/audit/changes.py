"""The 变更内容 of an audit entry as the auditor reads it: one Chinese line per change.

Services record {field: [old, new]} (or {field: value}). A short value is shown whole,
before → after. A long text is shown as a diff of the part that changed, with a little of
the text around it: two cut-off prefixes of a 2,000-character notice look identical and say
nothing. A list (participants, deadlines) shows what was added and what was removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from campaigndesk.core.texts import common_ends

from . import labels

CONTEXT = 12  # characters of unchanged text kept on each side of a change
MAX_PIECE = 200  # characters of one removed or added piece
MAX_HUNKS = 6  # changes shown in one field
MAX_MATCHED = 3000  # longer middles are shown as replaced, not diffed character by character
SAME, DEL, INS, GAP = "same", "del", "ins", "gap"


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str  # "" when a single value was recorded
    after: str
    diff: tuple[tuple[str, str], ...] = ()  # (SAME|DEL|INS|GAP, text) for long text, lists

    @property
    def text(self) -> str:
        """The row as plain text (the CSV export): 〔删：…〕〔增：…〕 mark the change."""
        if self.diff:
            marks = {DEL: _("〔删：%s〕"), INS: _("〔增：%s〕")}
            body = "".join(marks[k] % t if k in marks else ("…" if k == GAP else t)
                           for k, t in self.diff)
            return f"{self.field}：{body}"
        return f"{self.field}：{self.before} → {self.after}" if self.before else (
            f"{self.field}：{self.after}")


def _piece(text: str) -> str:
    return text if len(text) <= MAX_PIECE else text[:MAX_PIECE] + "…"


def _opcodes(old: str, new: str) -> list[tuple[str, str, str]]:
    """(kind, old part, new part) over the whole texts, the common ends found first."""
    start, end = common_ends(old, new)
    a, b = old[start:len(old) - end], new[start:len(new) - end]
    ops = [("equal", old[:start], old[:start])]
    if len(a) + len(b) <= MAX_MATCHED:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        ops += [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    else:
        ops.append(("replace", a, b))
    ops.append(("equal", old[len(old) - end:], old[len(old) - end:]))
    return _merge([op for op in ops if op[1] or op[2]])


def _merge(ops: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Fold a sliver of equal text (a shared 的 or ，) between two changes into them:
    Chinese compared character by character otherwise reads as confetti."""
    merged: list[tuple[str, str, str]] = []
    for i, (tag, a, b) in enumerate(ops):
        between = 0 < i < len(ops) - 1
        if tag == "equal" and between and len(a) < 3:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _tag, pa, pb = merged.pop()
            merged.append(("replace", pa + a, pb + b))
        else:
            merged.append((tag, a, b))
    return merged


def text_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    segments: list[tuple[str, str]] = []
    ops = _opcodes(old, new)
    hunks = 0
    for index, (tag, a, b) in enumerate(ops):
        if tag == "equal":
            first, last = index == 0, index == len(ops) - 1
            if first and len(a) > CONTEXT:
                segments += [(GAP, ""), (SAME, a[-CONTEXT:])]
            elif last and len(a) > CONTEXT:
                segments += [(SAME, a[:CONTEXT]), (GAP, "")]
            elif not first and not last and len(a) > 2 * CONTEXT:
                segments += [(SAME, a[:CONTEXT]), (GAP, ""), (SAME, a[-CONTEXT:])]
            else:
                segments.append((SAME, a))
            continue
        hunks += 1
        if hunks > MAX_HUNKS:
            more = sum(1 for op in ops[index:] if op[0] != "equal")
            segments += [(GAP, ""), (SAME, _("（另有 %(n)s 处修改）") % {"n": more})]
            break
        if a:
            segments.append((DEL, _piece(a)))
        if b:
            segments.append((INS, _piece(b)))
    return tuple(segments)


def list_diff(old: list, new: list) -> tuple[tuple[str, str], ...]:
    removed = [str(v) for v in old if v not in new]
    added = [str(v) for v in new if v not in old]
    if not removed and not added:
        return ((SAME, _("（仅顺序调整）")),)
    segments: list[tuple[str, str]] = []
    if removed:
        segments += [(SAME, _("移除 ")), (DEL, _piece("、".join(removed)))]
    if added:
        segments += [(SAME, _("；增加 ") if removed else _("增加 ")),
                     (INS, _piece("、".join(added)))]
    return tuple(segments)


def _diff(old, new) -> tuple[tuple[str, str], ...]:
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > (
            labels.SHOWN_LENGTH):
        return text_diff(old, new)
    if isinstance(old, list) and isinstance(new, list) and (old or new):
        return list_diff(old, new)
    return ()


def _dict_rows(object_type: str, name: str, old: dict, new: dict) -> list[ChangeRow]:
    """A recorded dict (the campaign's vocabulary) as one row per key that changed."""
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key, []), new.get(key, [])
        if before != after:
            rows.append(_row(object_type, f"{name}·{labels.key_label(object_type, key)}",
                             "", before, after))
    return rows


def _row(object_type: str, name: str, field: str, old, new) -> ChangeRow:
    old, new = labels.value_text(object_type, field, old), labels.value_text(
        object_type, field, new)
    if field in labels.LINE_LISTS and isinstance(old, str) and isinstance(new, str):
        # A staff list diffed character by character interleaves two people's names.
        diff = list_diff(old.splitlines(), new.splitlines())
    else:
        diff = _diff(old, new)
    return ChangeRow(name, labels.shown(old), labels.shown(new), diff)


def change_rows(object_type: str, changes: dict) -> list[ChangeRow]:
    rows = []
    for field, values in (changes or {}).items():
        name = labels.field_label(object_type, field)
        if isinstance(values, list) and len(values) == 2 and field not in labels.LIST_VALUES:
            old, new = values
            if isinstance(old, dict) or isinstance(new, dict):
                rows += _dict_rows(object_type, name, old or {}, new or {})
            else:
                row = _row(object_type, name, field, old, new)
                # None → "" (a new account without e-mail) reads （空） → （空）: no news.
                if row.diff or row.before != row.after:
                    rows.append(row)
        else:
            rows.append(ChangeRow(name, "", labels.shown(
                labels.value_text(object_type, field, values))))
    return rows
