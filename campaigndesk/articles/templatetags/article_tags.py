from django import template

from campaigndesk.articles.counts import totals, unit_counts
from campaigndesk.articles.models import Channel

register = template.Library()


@register.inclusion_tag("articles/_overview_counts.html")
def article_counts(campaign):
    """The per-unit brief counts on the campaign overview, without touching its view."""
    rows = unit_counts(campaign)
    return {"campaign": campaign, "rows": rows, "total": totals(rows),
            "channels": Channel.choices}


@register.filter
def first_paragraph(text: str):
    from campaigndesk.articles.display import paragraphs

    return paragraphs("\n".join([line for line in text.split("\n") if line.strip()][:1]))


@register.filter
def other_paragraphs(text: str):
    from campaigndesk.articles.display import paragraphs

    return paragraphs("\n".join([line for line in text.split("\n") if line.strip()][1:]))
