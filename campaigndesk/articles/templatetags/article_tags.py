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


@register.simple_tag(takes_context=True)
def articles_nav(context) -> bool:
    """Whether the top bar offers the briefs link (writing for a unit, or reviewing)."""
    from campaigndesk.units.permissions import Action, allows

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    return allows(user, Action.REVIEW_ARTICLES) or (
        user.unit_id is not None and allows(user, Action.WRITE_ARTICLES, user.unit))


@register.filter
def first_paragraph(text: str):
    from campaigndesk.articles.display import paragraphs

    return paragraphs("\n".join([line for line in text.split("\n") if line.strip()][:1]))


@register.filter
def other_paragraphs(text: str):
    from campaigndesk.articles.display import paragraphs

    return paragraphs("\n".join([line for line in text.split("\n") if line.strip()][1:]))
