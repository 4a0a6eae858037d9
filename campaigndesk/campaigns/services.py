"""Setting up campaigns. Each function is one transaction with an audit entry."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from campaigndesk.audit.services import diff, record
from campaigndesk.security.concurrency import check_version
from campaigndesk.units.models import Unit

from .models import Campaign, Contact, Deadline, VocabularyItem
from .vocabulary import takes_free_text

CAMPAIGN_FIELDS = ("year", "title", "document_number", "slogan", "start_date", "end_date",
                   "notice_text", "min_photos", "brief_length", "brief_min_length",
                   "brief_max_length")


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


def snapshot(campaign: Campaign) -> dict:
    data = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    data["participants"] = sorted(u.name for u in campaign.participants.all())
    data["vocabulary"] = {
        kind: [i.label for i in campaign.vocabulary_items.all() if i.kind == kind]
        for kind in sorted({i.kind for i in campaign.vocabulary_items.all()})
    }
    data["contacts"] = [
        f"{c.name} {c.office} {c.phone} {c.email}".strip() for c in campaign.contacts.all()
    ]
    data["deadlines"] = [
        f"{d.get_kind_display()} {d.title} {timezone.localtime(d.due_at):%Y-%m-%d %H:%M}"
        for d in campaign.deadlines.all()
    ]
    return data


def _replace_lists(
    campaign: Campaign,
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
) -> None:
    campaign.vocabulary_items.all().delete()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(campaign=campaign, kind=kind, position=pos, label=label,
                       allows_text=takes_free_text(label))
        for kind, labels in vocabulary.items()
        for pos, label in enumerate(dict.fromkeys(labels))
    )
    campaign.contacts.all().delete()
    Contact.objects.bulk_create(
        Contact(campaign=campaign, name=c.name, office=c.office, phone=c.phone, email=c.email)
        for c in contacts
    )
    # Deadlines that already carry submissions are kept (PROTECT) and only updated.
    kept = []
    for item in deadlines:
        match = campaign.deadlines.filter(kind=item.kind, title=item.title).first()
        if match:
            match.due_at = item.due_at
            match.save(update_fields=["due_at"])
        else:
            match = Deadline.objects.create(campaign=campaign, kind=item.kind, title=item.title,
                                            due_at=item.due_at)
        kept.append(match.pk)
    campaign.deadlines.exclude(pk__in=kept).filter(submissions__isnull=True).delete()


@transaction.atomic
def create_campaign(
    by,
    *,
    fields: Mapping,
    participants: Iterable[Unit],
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
) -> Campaign:
    campaign = Campaign(**fields)
    campaign.full_clean()
    campaign.save()
    campaign.participants.set(participants)
    _replace_lists(campaign, vocabulary, contacts, deadlines)
    record(by, "campaign.create", campaign, changes=diff({}, snapshot(campaign)))
    return campaign


@transaction.atomic
def update_campaign(
    by,
    campaign: Campaign,
    *,
    fields: Mapping,
    participants: Iterable[Unit],
    vocabulary: Mapping[str, Iterable[str]],
    contacts: Iterable[ContactData],
    deadlines: Iterable[DeadlineData],
    expected_version: int | None = None,
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, expected_version)
    before = snapshot(campaign)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    campaign.participants.set(participants)
    _replace_lists(campaign, vocabulary, contacts, deadlines)
    changes = diff(before, snapshot(campaign))
    if changes:
        campaign.version += 1
        campaign.save(update_fields=["version"])
        record(by, "campaign.update", campaign, changes=changes)
    return campaign


def _shift_year(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a common year
        return value.replace(year=value.year + years, day=28)


@transaction.atomic
def copy_campaign(by, source: Campaign, *, year: int) -> Campaign:
    """Last year's campaign as the starting point for this year's: the same lists,
    contacts and participants, dates and deadlines moved to the new year."""
    years = year - source.year
    fields = {name: getattr(source, name) for name in CAMPAIGN_FIELDS}
    fields["year"] = year
    fields["title"] = source.title.replace(str(source.year), str(year))
    fields["start_date"] = _shift_year(source.start_date, years)
    fields["end_date"] = _shift_year(source.end_date, years)
    fields["document_number"] = ""
    vocabulary: dict[str, list[str]] = {}
    for item in source.vocabulary_items.all():
        vocabulary.setdefault(item.kind, []).append(item.label)
    deadlines = []
    for d in source.deadlines.all():
        local = timezone.localtime(d.due_at)
        moved = timezone.make_aware(
            datetime.combine(_shift_year(local.date(), years), local.time().replace(tzinfo=None))
        )
        deadlines.append(DeadlineData(kind=d.kind, title=d.title, due_at=moved))
    campaign = create_campaign(
        by,
        fields=fields,
        participants=source.participants.all(),
        vocabulary=vocabulary,
        contacts=[ContactData(c.name, c.office, c.phone, c.email) for c in source.contacts.all()],
        deadlines=deadlines,
    )
    record(by, "campaign.copy", campaign, message=f"复制自“{source.title}”")
    return campaign
