"""The help pages: generic text, the links the reader may open, and the deadlines of the
reader's own current campaign (never another unit's or campaign's data).

Which links a page shows is decided by units.permissions (`_abilities`), so a help page
never points a reader at a page that would refuse them; a label the reader cannot open is
shown as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigndesk.articles.checking import length_bounds
from campaigndesk.campaigns import urgency
from campaigndesk.campaigns.models import Campaign, Deadline, DeadlineKind
from campaigndesk.campaigns.status import DeadlineStatus, format_duration, unit_statuses
from campaigndesk.params import whole_number
from campaigndesk.units.permissions import Action, allows, login_only, visible_campaigns

from .pages import ROLE_PAGES, page_for


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    left: str  # 剩余2天3小时 / 已截止5小时
    status: DeadlineStatus | None  # the reader's own unit, for a reporter


def current_campaign(request) -> Campaign | None:
    """The campaign the reader came from (?campaign=, when they may open it), else their
    most urgent one; an unknown or foreign number falls back quietly, revealing nothing."""
    pk = whole_number(request.GET.get("campaign"))
    if pk is not None:
        chosen = visible_campaigns(request.user).filter(pk=pk).first()
        if chosen is not None:
            return chosen
    return urgency.most_urgent_for(request.user)


def _own_unit(user, campaign: Campaign | None):
    """The reader's unit when they report for it in this campaign, else None."""
    unit = user.unit if user.unit_id is not None else None
    if (campaign is None or unit is None or not allows(user, Action.EDIT_UNIT_DATA, unit)
            or not campaign.participants.filter(pk=unit.pk).exists()):
        return None
    return unit


def _rows(campaign: Campaign, unit) -> list[DeadlineRow]:
    now = timezone.now()
    statuses = {s.deadline.pk: s for s in unit_statuses(campaign, unit, now)} if unit else {}
    rows = []
    for deadline in campaign.deadlines.all():
        if deadline.due_at > now:
            left = _("剩余%(d)s") % {"d": format_duration(deadline.due_at - now)}
        else:
            left = _("已截止%(d)s") % {"d": format_duration(now - deadline.due_at)}
        rows.append(DeadlineRow(deadline, left, statuses.get(deadline.pk)))
    return rows


def _abilities(user) -> dict[str, bool]:
    """What the reader may open, for the links of the text."""
    return {
        "overview": allows(user, Action.VIEW_OVERVIEW),
        "review": allows(user, Action.REVIEW_ARTICLES),
        "remind": allows(user, Action.REMIND_UNITS),
        "manage": allows(user, Action.MANAGE_CAMPAIGNS),
        "units": allows(user, Action.MANAGE_UNITS),
        "accounts": allows(user, Action.MANAGE_ACCOUNTS),
        "locks": allows(user, Action.UNLOCK_ACCOUNTS),
        "trash": allows(user, Action.RESTORE_DELETED),
        "audit": allows(user, Action.READ_AUDIT),
    }


def _role_page(request, name: str, template: str):
    user = request.user
    campaign = current_campaign(request)
    unit = _own_unit(user, campaign)
    rows = _rows(campaign, unit) if campaign else []
    return render(request, template, {
        "page": name,
        "page_title": dict(ROLE_PAGES)[name],
        "role_pages": ROLE_PAGES,
        "own_page": page_for(user),
        "campaign": campaign,
        "several_campaigns": visible_campaigns(user).count() > 1,
        "unit": unit,
        "can": _abilities(user),
        "deadline_rows": rows,
        "progress_deadlines": [r.deadline for r in rows
                               if r.deadline.kind == DeadlineKind.PROGRESS],
        "summary_deadlines": [r.deadline for r in rows if r.deadline.kind == DeadlineKind.SUMMARY],
        "bounds": length_bounds(campaign) if campaign else _("约500字"),
        "contacts": list(campaign.contacts.all()) if campaign else [],
    })


@require_GET
def general(request):
    """For everyone, signed in or not: what the workbench is and who does what. No data."""
    user = request.user
    return render(request, "help/general.html", {
        "page": "help",
        "page_title": _("总览"),
        "role_pages": ROLE_PAGES,
        "own_page": page_for(user),
    })


@login_only
@require_GET
def reporter(request):
    return _role_page(request, "help_reporter", "help/reporter.html")


@login_only
@require_GET
def reviewer(request):
    return _role_page(request, "help_reviewer", "help/reviewer.html")


@login_only
@require_GET
def admin(request):
    return _role_page(request, "help_admin", "help/admin.html")
