"""Saving a campaign's lists — vocabulary, contacts, deadlines — in place.

Activities (working rows and the rows as submitted) are tagged with VocabularyItems, and
reports, submissions and summaries hang on Deadlines. Deleting and recreating those rows on
every save cut every tag link (the M2M rows cascade) and made a renamed deadline a new one,
so here each existing row keeps its pk unless the user really removed it, and a row that
data hangs on is never removed: the save is refused with a message naming it.

How a vocabulary line is matched to an existing item, per kind (the four textareas):
1. a line whose text equals an existing item's label is that item (only its position may
   change, so lines can be reordered freely);
2. otherwise, a line at the same line number as an existing item whose label is no longer
   in the list is a rename of that item: its label changes in place and its links stay;
3. every other line is a new item; every item left over was removed from the list and is
   deleted — unless an activity uses it, which refuses the save.
So to rename, edit the text where it stands; a rename combined with adding or removing
lines above it in the same save counts as remove + add, which is refused for an item in
use, and never loses data.

Deadlines are matched by the pk their form row carries; a row without one (the demo,
scripts) is matched to an existing deadline of the same kind and title, else created.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Campaign, Contact, Deadline, VocabularyItem, VocabularyKind
from .vocabulary import takes_free_text


@dataclass
class ContactData:
    name: str
    office: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class DeadlineData:
    kind: str
    title: str
    due_at: datetime
    pk: int | None = None  # the existing deadline this row edits


def _kind_label(kind: str) -> str:
    return str(VocabularyKind(kind).label) if kind in VocabularyKind.values else kind


def activities_using(items: list[VocabularyItem]) -> dict[int, int]:
    """{item pk: how many activities carry it}. An activity counts once whether it is the
    working row, one or more of its submitted versions, or both."""
    pks = [item.pk for item in items]
    users: dict[int, set] = {pk: set() for pk in pks}
    working = VocabularyItem.activities.through.objects.filter(vocabularyitem_id__in=pks)
    for item_pk, activity_pk in working.values_list("vocabularyitem_id", "activity_id"):
        users[item_pk].add(("working", activity_pk))
    reported = VocabularyItem.reported_activities.through.objects.filter(
        vocabularyitem_id__in=pks)
    for item_pk, row_pk, source in reported.values_list(
            "vocabularyitem_id", "reportedactivity_id", "reportedactivity__source_id"):
        users[item_pk].add(("working", source) if source else ("reported", row_pk))
    return {pk: len(found) for pk, found in users.items() if found}


def _match_kind(old: list[VocabularyItem], labels: list[str]):
    """(kept [(item, position, new label)], new [(position, label)], removed [item])."""
    by_label = {item.label: item for item in old}
    wanted = set(labels)
    kept, new = [], []
    for position, label in enumerate(labels):
        item = by_label.get(label)
        if item is None and position < len(old) and old[position].label not in wanted:
            item = old[position]  # the same line, its text edited: a rename
        if item is None:
            new.append((position, label))
        else:
            kept.append((item, position, label))
    matched = {item.pk for item, _pos, _label in kept}
    return kept, new, [item for item in old if item.pk not in matched]


def save_vocabulary(campaign: Campaign, vocabulary: Mapping[str, Iterable[str]]) -> list[str]:
    """Bring the campaign's lists to `vocabulary` in place; the renames, for the audit log."""
    existing: dict[str, list[VocabularyItem]] = {}
    for item in campaign.vocabulary_items.order_by("kind", "position", "pk"):
        existing.setdefault(item.kind, []).append(item)
    wanted = {kind: list(dict.fromkeys(labels)) for kind, labels in vocabulary.items()}
    plans = {kind: _match_kind(existing.get(kind, []), wanted.get(kind, []))
             for kind in sorted(set(existing) | set(wanted))}
    removed = [item for _kept, _new, gone in plans.values() for item in gone]
    used = activities_using(removed)
    if used:
        raise ValidationError([
            _("%(kind)s“%(label)s”已被 %(count)s 条活动使用，不能删除；如需改名请直接修改文字"
              "（在原来那一行上改）") % {
                "kind": _kind_label(item.kind), "label": item.label, "count": used[item.pk]}
            for item in removed if item.pk in used])
    VocabularyItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
    renames = []
    for kind, (kept, new, _gone) in plans.items():
        for item, position, label in kept:
            if item.label != label:
                renames.append(_("%(kind)s“%(old)s”改为“%(new)s”") % {
                    "kind": _kind_label(kind), "old": item.label, "new": label})
            if (item.label, item.position) != (label, position):
                item.label, item.position = label, position
                item.allows_text = takes_free_text(label)
                item.save(update_fields=["label", "position", "allows_text"])
        VocabularyItem.objects.bulk_create(
            VocabularyItem(campaign=campaign, kind=kind, position=position, label=label,
                           allows_text=takes_free_text(label))
            for position, label in new)
    return renames


def save_contacts(campaign: Campaign, contacts: Iterable[ContactData]) -> None:
    """Row by row: the n-th contact row updates the n-th contact (nothing refers to them)."""
    old = list(campaign.contacts.order_by("pk"))
    rows = list(contacts)
    for contact, row in zip(old, rows, strict=False):
        values = (row.name, row.office, row.phone, row.email)
        if (contact.name, contact.office, contact.phone, contact.email) != values:
            contact.name, contact.office, contact.phone, contact.email = values
            contact.save()
    Contact.objects.bulk_create(
        Contact(campaign=campaign, name=r.name, office=r.office, phone=r.phone, email=r.email)
        for r in rows[len(old):])
    Contact.objects.filter(pk__in=[c.pk for c in old[len(rows):]]).delete()


def units_with_data(deadline: Deadline) -> int:
    """How many units have a report (draft included), a submission or a summary for it."""
    units = set(deadline.reports.values_list("unit_id", flat=True))
    units |= set(deadline.submissions.values_list("unit_id", flat=True))
    units |= set(deadline.final_summaries.values_list("unit_id", flat=True))
    return len(units)


def _claim_deadlines(campaign: Campaign, rows: list[DeadlineData]):
    existing = {d.pk: d for d in campaign.deadlines.all()}
    claimed: dict[int, DeadlineData] = {}
    for row in rows:
        if row.pk is None:
            continue
        if row.pk not in existing or row.pk in claimed:
            raise ValidationError(_("报送节点已被他人修改或删除，请刷新页面后重新填写"))
        claimed[row.pk] = row
    for row in rows:
        if row.pk is None:
            match = next((d for pk, d in existing.items() if pk not in claimed
                          and (d.kind, d.title) == (row.kind, row.title)), None)
            if match is not None:
                claimed[match.pk] = row
    taken = {id(row) for row in claimed.values()}
    new = [row for row in rows if id(row) not in taken]
    return existing, claimed, new


def save_deadlines(campaign: Campaign, rows: Iterable[DeadlineData]) -> None:
    """Edit deadlines in place. One that units have data for may be renamed or moved,
    never removed nor given another kind (its reports would hang on the wrong thing)."""
    existing, claimed, new = _claim_deadlines(campaign, list(rows))
    problems, removed = [], []
    for pk, deadline in existing.items():
        row = claimed.get(pk)
        if row is not None and row.kind == deadline.kind:
            continue
        units = units_with_data(deadline)
        if row is None and units:
            problems.append(_("报送节点“%(title)s”已有 %(units)s 个单位的报送或草稿，不能删除；"
                              "如需改名或改期请直接修改该行") % {
                "title": deadline.title, "units": units})
        elif row is not None and units:
            problems.append(_("报送节点“%(title)s”已有 %(units)s 个单位的报送或草稿，"
                              "不能修改类别") % {"title": deadline.title, "units": units})
        elif row is None:
            removed.append(pk)
    if problems:
        raise ValidationError(problems)
    Deadline.objects.filter(pk__in=removed).delete()
    for pk, row in claimed.items():
        deadline = existing[pk]
        if (deadline.kind, deadline.title, deadline.due_at) != (row.kind, row.title, row.due_at):
            deadline.kind, deadline.title, deadline.due_at = row.kind, row.title, row.due_at
            deadline.save(update_fields=["kind", "title", "due_at"])
    for row in new:
        Deadline.objects.create(campaign=campaign, kind=row.kind, title=row.title,
                                due_at=row.due_at)
