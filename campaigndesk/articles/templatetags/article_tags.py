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


@register.filter
def char_count(text) -> int:
    """字数 as WPS/Word count it (the browser's counter in articles.js counts the same)."""
    from campaigndesk.proofing.text import canonical, count_chars

    return count_chars(canonical(str(text or "")))


@register.filter
def length_bounds(campaign) -> str:
    """"约500字（350～700字）" for the campaign."""
    from campaigndesk.articles.checking import length_bounds as bounds

    return bounds(campaign)


@register.inclusion_tag("articles/_unit_todo.html", takes_context=True)
def unit_todo(context, unit, campaign=None):
    """On a unit's home page, what waits for its reporter: briefs sent back with the
    reviewer's reason, and notices (reminders among them) not read yet. Without a
    campaign (the landing page, where a reporter of several campaigns arrives), the
    returned briefs of every open campaign."""
    from django.db import models

    from campaigndesk.articles.models import Article, Notice, State
    from campaigndesk.units.models import Unit
    from campaigndesk.units.permissions import Action, allows

    user = context["request"].user
    scope = ({"campaign": campaign} if campaign is not None
             else {"campaign__closed_at__isnull": True})
    returned = list(Article.objects.live()
                    .filter(unit__in=Unit.objects.under(unit), state=State.RETURNED, **scope)
                    .select_related("unit", "campaign").prefetch_related("versions")
                    .order_by("-updated_at", "-pk"))
    for article in returned:
        reasons = [v for v in article.versions.all() if v.return_reason]
        article.return_note = reasons[-1] if reasons else None
        article.can_write = allows(user, Action.WRITE_ARTICLES, article.unit)
    # The unit's notices are its own people's to read; a region user looking at the page
    # is not shown their personal ones here.
    unread = Notice.objects.for_user(user).unread() if user.unit_id == unit.pk else None
    if unread is not None and campaign is not None:
        unread = unread.filter(models.Q(campaign=campaign) | models.Q(campaign__isnull=True))
    return {
        "unit": unit,
        "all_campaigns": campaign is None,
        "returned": returned,
        "notices": list(unread[:5]) if unread is not None else [],
        "unread_count": unread.count() if unread is not None else 0,
    }


@register.filter
def open_errors(article):
    """The review list's 校对错误 cell: errors the latest version was sent with and whether
    the reporter explained them (review_list.open_errors)."""
    from campaigndesk.articles.review_list import open_errors as errors

    return errors(article)
