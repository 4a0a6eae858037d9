import json

from django import template

from campaigndesk.campaigns.status import format_duration
from campaigndesk.progress.table import (
    COLUMNS,
    ActivityRow,
    dates_text,
    fen_to_yuan,
    service_labels,
)

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Whole fen as yuan with thousands separators: 123456789 -> 1,234,567.89."""
    return fen_to_yuan(fen or 0)


@register.filter
def short_header(header: str) -> str:
    # The service-area header carries its example list in brackets; the grid is narrow.
    return header.split("（老年人")[0]


@register.filter
def row_dates(row: ActivityRow) -> str:
    return dates_text(row.start, row.end)


@register.filter
def row_areas(row: ActivityRow) -> str:
    return "、".join(service_labels(row))


@register.filter
def jsonify(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")


@register.filter
def duration_words(delta) -> str:
    return format_duration(delta)


@register.simple_tag
def progress_columns():
    return COLUMNS


@register.simple_tag
def import_summary(result, plan) -> list[tuple[str, str]]:
    """The preview's sentences about a read table (progress.preview)."""
    from campaigndesk.progress import preview

    return preview.lines(result, plan)
