"""Differences between two frozen versions of a report, as a reviewer reads them."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .table import ActivityRow, dates_text, fen_to_text, service_labels

FIELD_LABELS = {
    "name": _("活动名称"),
    "organizations": _("参与单位"),
    "participants": _("参与人次"),
    "dates": _("活动开展时间"),
    "location": _("活动地点"),
    "content": _("活动内容"),
    "service_areas": _("服务领域"),
    "beneficiaries": _("受益人次"),
    "funds_fen": _("链接资金（元）"),
    "materials_fen": _("链接物资折价（元）"),
    "remarks": _("备注"),
}
HEADER_LABELS = {
    "reporter_name": _("填报人"),
    "reporter_phone": _("手机号码"),
    "filled_date": _("填报时间"),
}


def shown(item: dict, key: str) -> str:
    if key == "dates":
        from datetime import date

        start = date.fromisoformat(item["start"]) if item["start"] else None
        end = date.fromisoformat(item["end"]) if item["end"] else None
        return dates_text(start, end)
    if key in {"funds_fen", "materials_fen"}:
        return fen_to_text(item[key])
    if key == "organizations":
        return "、".join(item[key])
    if key == "service_areas":
        return "、".join(service_labels(ActivityRow(
            service_areas=list(item["service_areas"]),
            service_other=item.get("service_other", ""))))
    return str(item[key])


@dataclass
class RowChange:
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after


@dataclass
class VersionDiff:
    header: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.header or self.added or self.removed or self.changed)


def _key(item: dict):
    return item.get("id") or (item["name"], item["start"])


def diff_snapshots(old: dict, new: dict) -> VersionDiff:
    result = VersionDiff()
    for key, label in HEADER_LABELS.items():
        if old.get(key) != new.get(key):
            result.header.append((str(label), old.get(key) or "", new.get(key) or ""))
    before = {_key(item): item for item in old["activities"]}
    after = {_key(item): item for item in new["activities"]}
    for key, item in after.items():
        if key not in before:
            result.added.append(item["name"])
            continue
        change = RowChange(item["name"])
        for field_key, label in FIELD_LABELS.items():
            old_text, new_text = shown(before[key], field_key), shown(item, field_key)
            if old_text != new_text:
                change.fields.append((str(label), old_text, new_text))
        if change.fields:
            result.changed.append(change)
    result.removed = [item["name"] for key, item in before.items() if key not in after]
    return result
