"""Changing the register: every change in one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from campaigndesk.articles import photos
from campaigndesk.audit.services import diff, record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.core.concurrency import check_version
from campaigndesk.units.models import Role, Unit
from campaigndesk.units.permissions import Action, allows

from . import lists
from .models import Place, PosterPrint, PosterSize, ProcessStep, ServiceItem, Signage, StaffMember

FIELDS = ("name", "kind", "address", "hours", "content", "phone", "longitude", "latitude",
          "publish_staff_phones")


class PlaceRefused(Exception):
    """Shown to the user as it is."""


@dataclass(frozen=True)
class PlaceData:
    """A checked place: what PlaceForm.cleaned_data holds, with the unit found."""

    unit: Unit
    fields: dict
    services: Sequence[lists.Item]
    staff: Sequence[lists.Staff]
    steps: Sequence[str]

    @classmethod
    def from_form(cls, cleaned: dict, unit: Unit) -> PlaceData:
        return cls(unit=unit, fields={k: cleaned[k] for k in FIELDS},
                   services=cleaned["services_text"], staff=cleaned["staff_text"],
                   steps=cleaned["steps_text"])


def _may_edit(by, unit: Unit) -> None:
    if not allows(by, Action.EDIT_PLACES, unit):
        raise PlaceRefused(_("无权修改该单位的服务场所"))


def _plain(value):
    return f"{value:.6f}" if isinstance(value, Decimal) else value


def snapshot(place: Place) -> dict:
    return {**{k: _plain(getattr(place, k)) for k in FIELDS}, "unit": place.unit.code,
            "services": lists.items_text(place.services.all()),
            "staff": lists.staff_text(place.staff.all()),
            "steps": lists.steps_text(place.steps.all())}


def data_snapshot(data: PlaceData) -> dict:
    """What snapshot() would give once `data` is saved."""
    return {**{k: _plain(v) for k, v in data.fields.items()}, "unit": data.unit.code,
            "services": lists.items_text(data.services), "staff": lists.staff_text(data.staff),
            "steps": lists.steps_text(data.steps)}


def _write(place: Place, data: PlaceData) -> None:
    place.unit = data.unit
    for key, value in data.fields.items():
        setattr(place, key, value)
    place.save()
    place.services.all().delete()
    place.staff.all().delete()
    place.steps.all().delete()
    ServiceItem.objects.bulk_create(
        ServiceItem(place=place, position=n, name=i.name, audience=i.audience)
        for n, i in enumerate(data.services, 1))
    StaffMember.objects.bulk_create(
        StaffMember(place=place, position=n, name=s.name, role=s.role,
                    qualification=s.qualification, phone=s.phone)
        for n, s in enumerate(data.staff, 1))
    ProcessStep.objects.bulk_create(
        ProcessStep(place=place, position=n, text=t) for n, t in enumerate(data.steps, 1))


def _duplicate(data: PlaceData) -> PlaceRefused:
    return PlaceRefused(_("%(unit)s已有名为“%(name)s”的服务场所") % {
        "unit": data.unit.name, "name": data.fields["name"]})


def create_place(by, data: PlaceData) -> Place:
    _may_edit(by, data.unit)
    try:
        with transaction.atomic():
            place = Place(created_by=by if getattr(by, "pk", None) else None)
            _write(place, data)
            record(by, "places.create", place, changes=snapshot(place))
    except IntegrityError:
        raise _duplicate(data) from None
    return place


def update_place(by, place: Place, data: PlaceData, *, expected_version: int | None) -> Place:
    _may_edit(by, place.unit)
    _may_edit(by, data.unit)
    try:
        with transaction.atomic():
            place = Place.objects.select_for_update().select_related("unit").get(pk=place.pk)
            check_version(place, expected_version)
            changes = diff(snapshot(place), data_snapshot(data))
            if not changes:  # saved unchanged: no new version, nothing to log
                return place
            place.version = F("version") + 1
            _write(place, data)
            place.refresh_from_db()
            record(by, "places.update", place, changes=changes)
    except IntegrityError:
        raise _duplicate(data) from None
    return place


def delete_place(by, place: Place) -> None:
    _may_edit(by, place.unit)
    with transaction.atomic():
        before = snapshot(place)
        record(by, "places.delete", place, changes=before)
        for signage in place.signage.all():
            photos.delete_files(signage)
        place.delete()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_places(by, rows: Sequence[PlaceData], *, filename: str) -> ImportResult:
    """Save checked rows all at once: a row names a place by unit and name; an existing one
    is replaced by the row, any other is new. Called only when every row passed."""
    created = updated = unchanged = 0
    for data in rows:
        _may_edit(by, data.unit)
        place = (Place.objects.select_for_update()
                 .filter(unit=data.unit, name=data.fields["name"]).first())
        # Each place the file creates or changes has its own entry, as a web edit has: the
        # auditor must see what changed in which place, not only "新增 2 个" for a file.
        message = _("导入自“%(file)s”") % {"file": filename[:120]}
        if place is None:
            place = Place(created_by=by if getattr(by, "pk", None) else None)
            _write(place, data)
            record(by, "places.create", place, changes=snapshot(place), message=message)
            created += 1
        elif changes := diff(snapshot(place), data_snapshot(data)):
            place.version = F("version") + 1
            _write(place, data)
            place.refresh_from_db()
            record(by, "places.update", place, changes=changes, message=message)
            updated += 1
        else:
            unchanged += 1  # the row is the place as it is: an exported register again
    record(by, "places.import", None, changes={"file": filename[:120], "created": created,
                                               "updated": updated, "unchanged": unchanged})
    return ImportResult(created, updated, unchanged)


def note_poster(by, place: Place, campaign: Campaign, size: str) -> bool:
    """A poster was downloaded. It counts as generated (the dashboard's 已生成海报) only
    when the unit that keeps the place made it: a region user or a reviewer looking at a
    poster, or the region's one-click .zip of everything, must not make a bureau's
    signage look further along than it is. Every download is audited either way.
    Returns whether it counted."""
    PosterSize(size)
    counts = (by.role == Role.REPORTER and allows(by, Action.EDIT_PLACES, place.unit)
              and not campaign.is_closed)  # a closed campaign is read-only
    with transaction.atomic():
        if counts:
            poster, _created = PosterPrint.objects.get_or_create(place=place,
                                                                 campaign=campaign, size=size)
            PosterPrint.objects.filter(pk=poster.pk).update(count=F("count") + 1)
        record(by, "places.poster", place,
               changes={"campaign": str(campaign), "poster_size": str(PosterSize(size).label),
                        "counted": counts})
    return counts


def confirm_signage(by, place: Place, campaign: Campaign, data: bytes, *,
                    original_name: str = "") -> Signage:
    """The photo of the sign as posted; the photo checks of the briefs apply (content, size,
    pixels; stored as a fresh JPEG without EXIF). A new photo replaces the earlier one."""
    _may_edit(by, place.unit)
    ensure_open(campaign)
    try:
        processed = photos.process(data)
    except photos.PhotoRefused as exc:
        record(by, "places.signage_refused", place,
               changes={"photo": original_name[:120], "size": len(data)}, message=str(exc))
        raise
    with transaction.atomic():
        old = Signage.objects.select_for_update().filter(place=place, campaign=campaign).first()
        signage = Signage(place=place, campaign=campaign, width=processed.width,
                          height=processed.height, phash=processed.phash,
                          original_name=original_name[:120], uploaded_by=by)
        photos.write_files(signage, processed)
        if old is not None:
            old.delete()
        signage.save()
        record(by, "places.signage", place,
               changes={"campaign": str(campaign), "photo": signage.original_name,
                        "replaced": old is not None})
    if old is not None:
        photos.delete_files(old)
    return signage
