import json

from django import template

from campaigndesk.progress.table import ActivityRow, dates_text, fen_to_text, service_labels

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Whole fen as yuan with thousands separators: 123456789 -> 1,234,567.89."""
    text = fen_to_text(fen or 0)
    whole, cents = text.split(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{cents}"


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
    from campaigndesk.campaigns.status import format_duration

    return format_duration(delta)


@register.simple_tag
def progress_columns():
    from campaigndesk.progress.table import COLUMNS

    return COLUMNS
