"""Changing the unit tree. Each function runs in one transaction and writes the audit log."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, ProtectedError, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from campaigndesk.audit.services import diff, record
from campaigndesk.core.concurrency import check_version

from .models import LEVEL_DEPTH, Level, Unit
from .signals import subtree_moved

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "inner-mongolia-divisions.csv"
EDITABLE_FIELDS = ("code", "name", "short_names", "level", "geo_parent", "reports_to", "is_active")


def _snapshot(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_names": list(unit.short_names),
        "level": unit.level,
        "geo_parent": unit.geo_parent.name if unit.geo_parent_id else None,
        "reports_to": unit.reports_to.name if unit.reports_to_id else None,
        "is_active": unit.is_active,
    }


def _path_for(unit: Unit) -> str:
    parent_path = unit.reports_to.report_path if unit.reports_to_id else "/"
    return f"{parent_path}{unit.pk}/"


def _refresh_paths(unit: Unit, old_path: str) -> None:
    """Give the unit its path and carry the change down to everything under it."""
    new_path = _path_for(unit)
    if new_path == old_path:
        return
    Unit.objects.filter(pk=unit.pk).update(report_path=new_path)
    unit.report_path = new_path
    if old_path:
        # One UPDATE for the whole subtree: the new prefix plus what followed the old one
        # (Substr counts from 1).
        Unit.objects.filter(report_path__startswith=old_path).exclude(pk=unit.pk).update(
            report_path=Concat(Value(new_path), Substr("report_path", len(old_path) + 1),
                               output_field=CharField()))
        subtree_moved.send(Unit, unit_id=unit.pk, old_path=old_path, new_path=new_path)


def validate_tree(unit: Unit) -> None:
    errors = {}
    depth = LEVEL_DEPTH[Level(unit.level)]
    for field in ("reports_to", "geo_parent"):
        parent = getattr(unit, field)
        label = _("报送上级") if field == "reports_to" else _("所在地区")
        if parent is None:
            if depth > 0:
                errors[field] = _("%(label)s不能为空") % {"label": label}
            continue
        if parent.pk == unit.pk or (unit.pk and unit.report_path and field == "reports_to"
                                    and parent.report_path.startswith(unit.report_path)):
            errors[field] = _("%(label)s不能是本单位或其下级单位") % {"label": label}
        elif LEVEL_DEPTH[Level(parent.level)] >= depth:
            errors[field] = _("%(label)s的层级必须高于本单位") % {"label": label}
    if depth == 0 and Unit.objects.filter(level=Level.REGION).exclude(pk=unit.pk).exists():
        errors["level"] = _("只能有一个自治区级单位")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_unit(by, **fields) -> Unit:
    unit = Unit(**fields)
    unit.full_clean(exclude=["report_path"])
    validate_tree(unit)
    unit.save()
    _refresh_paths(unit, "")
    record(by, "unit.create", unit, changes=diff({}, _snapshot(unit)))
    return unit


@transaction.atomic
def update_unit(by, unit: Unit, *, expected_version: int | None = None, **fields) -> Unit:
    """Rename, move (either parent) or (de)activate a unit."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, expected_version)
    before = _snapshot(unit)
    old_path = unit.report_path
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"unit field {name} cannot be changed here")
        setattr(unit, name, value)
    unit.full_clean(exclude=["report_path"])
    validate_tree(unit)
    changes = diff(before, _snapshot(unit))  # the path is not in the snapshot
    if changes:
        unit.version += 1
    unit.save()
    _refresh_paths(unit, old_path)
    if before["is_active"] and not unit.is_active:
        end_sessions(unit.users.all())
    if changes:
        record(by, "unit.update", unit, changes=changes)
    return unit


def end_sessions(users) -> None:
    """End the accounts' open sessions for good: reactivating the unit or the account later
    does not bring them back (issue 12 point 13, second pass)."""
    users.update(session_epoch=F("session_epoch") + 1)


def deactivate_unit(by, unit: Unit) -> Unit:
    return update_unit(by, unit, is_active=False)


class UnitInUse(Exception):
    """The unit has data (accounts, units under it, campaign records) and cannot go."""


def delete_unit(by, unit: Unit) -> None:
    # Every model that points at a unit does so with PROTECT, so "has data" is whatever the
    # database refuses to cascade; new kinds of data are covered without touching this.
    try:
        with transaction.atomic():
            snapshot = _snapshot(unit)
            record(by, "unit.delete", unit, changes=diff(snapshot, {}))
            unit.delete()
    except ProtectedError as exc:
        kinds = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise UnitInUse(
            _("“%(name)s”已有数据（%(kinds)s），不能删除，只能停用")
            % {"name": unit.name, "kinds": "、".join(str(k) for k in kinds)}
        ) from None


def read_divisions(path: Path = FIXTURE) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_divisions(by=None, path: Path = FIXTURE) -> tuple[int, int]:
    """Create or update the region's units from the divisions CSV; returns (created, updated).

    County-level rows in the CSV have no official code; they get a local code made of the
    league's code and the row's place within it ("150100-05"), which stays stable as long
    as the file's order does and never collides with a 6-digit official code.
    """
    rows = read_divisions(path)
    by_code: dict[str, Unit] = {}
    counters: dict[str, int] = {}
    created = updated = 0
    pending_reports: list[tuple[Unit, str]] = []
    for line, row in enumerate(rows, start=2):
        level = Level(row["level"].strip())
        geo_code = row["geo_parent"].strip()
        code = row["code"].strip()
        if not code:
            counters[geo_code] = counters.get(geo_code, 0) + 1
            code = f"{geo_code}-{counters[geo_code]:02d}"
        short = [s.strip() for s in row.get("short_names", "").replace("、", ";").split(";")]
        defaults = {
            "name": row["name"].strip(),
            "level": level,
            "short_names": [s for s in short if s],
            "geo_parent": by_code.get(geo_code) if geo_code else None,
        }
        if geo_code and geo_code not in by_code:
            raise ValidationError(
                _("第 %(line)s 行：所在地区代码 %(code)s 未在前面出现")
                % {"line": line, "code": geo_code}
            )
        unit, was_created = Unit.objects.update_or_create(code=code, defaults=defaults)
        created += was_created
        updated += not was_created
        by_code[code] = unit
        pending_reports.append((unit, row["reports_to"].strip()))
    for unit, reports_code in pending_reports:
        old_path = unit.report_path
        unit.reports_to = by_code.get(reports_code) if reports_code else None
        unit.save(update_fields=["reports_to"])
        _refresh_paths(unit, old_path)
    record(by, "unit.load", changes={"created": created, "updated": updated},
           message=f"导入区划 {path.name}")
    return created, updated
