"""Which campaign needs the user first: the home page's order, and where an old URL without
a campaign leads.

A campaign is as urgent as its first deadline still owed: by a unit, a deadline it has not
sent; for the region, a deadline some participant has not sent. Recently overdue ones come
first, then the next one due; deadlines missed long ago (Entry.sort_key: STALE) come after
current work; campaigns with nothing owed come last, newest first. Closed campaigns are
kept apart.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, visible_campaigns

from .models import Campaign, Deadline, Submission
from .status import format_duration

# Overdue by more than this, a deadline is old business: it stays listed, after current work.
STALE = timedelta(days=30)


@dataclass(frozen=True)
class Owed:
    deadline: Deadline
    missing: int  # units that have not sent it: 1 on a unit's own list


@dataclass(frozen=True)
class Entry:
    campaign: Campaign
    owed: list[Owed]  # soonest first
    now: datetime
    for_region: bool = False

    @property
    def first(self) -> Owed | None:
        return self.owed[0] if self.owed else None

    @property
    def overdue(self) -> bool:
        return self.first is not None and self.first.deadline.due_at <= self.now

    @property
    def sort_key(self) -> tuple:
        """Current work first: a deadline owed that is still ahead or overdue by at most
        STALE (the week's report that slipped), soonest due first; then work owed long ago,
        the most recent first (a 2022 round still unsent after years must not push this
        week's round down the list); then campaigns with nothing owed, newest first."""
        if self.first is not None:
            due = self.first.deadline.due_at
            if due >= self.now - STALE:
                return (0, due.timestamp(), -self.campaign.pk)
            return (1, -due.timestamp(), -self.campaign.pk)
        return (2, -self.campaign.start_date.toordinal(), -self.campaign.pk)

    @property
    def summary(self) -> str:
        """未报：第二次工作进展报送（已逾期3天） and the like, for the home page."""
        first = self.first
        if first is None:
            return gettext("各报送节点均已报送")
        due = first.deadline.due_at
        if self.overdue and self.now - due > STALE:
            # "已逾期1715天3小时" reads as a glitch; long ago, the date is what people use.
            when = gettext("%(date)s截止") % {
                "date": timezone.localtime(due).strftime("%Y年%-m月%-d日")}
        elif self.overdue:
            when = gettext("已逾期%(d)s") % {"d": format_duration(self.now - due)}
        else:
            when = gettext("剩余%(d)s") % {"d": format_duration(due - self.now)}
        if self.for_region:
            return gettext("%(title)s：%(n)s 个单位未报（%(when)s）") % {
                "title": first.deadline.title, "n": first.missing, "when": when}
        if self.overdue:
            return gettext("逾期未报：%(title)s（%(when)s）") % {
                "title": first.deadline.title, "when": when}
        return gettext("下一个节点：%(title)s（%(when)s）") % {
            "title": first.deadline.title, "when": when}


def _with_deadlines(campaigns):
    return campaigns.prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by(
        "due_at", "pk")))


def unit_entries(unit: Unit, campaigns, now: datetime | None = None) -> list[Entry]:
    """The unit's campaigns among `campaigns`, each with the deadlines the unit still owes."""
    now = now or timezone.now()
    campaigns = list(_with_deadlines(campaigns.taking_part(unit)))
    sent = set(Submission.objects.filter(unit=unit, deadline__campaign__in=campaigns)
               .values_list("deadline_id", flat=True))
    return [Entry(c, [Owed(d, 1) for d in c.deadlines.all() if d.pk not in sent], now)
            for c in campaigns]


def region_entries(campaigns, now: datetime | None = None) -> list[Entry]:
    """Every campaign among `campaigns`, each with the deadlines some participant owes."""
    now = now or timezone.now()
    campaigns = list(_with_deadlines(campaigns.annotate(
        expected=Count("participants", distinct=True))))
    done = dict(Submission.objects.filter(deadline__campaign__in=campaigns)
                .values_list("deadline_id").annotate(n=Count("pk")).order_by())
    entries = []
    for c in campaigns:
        owed = [Owed(d, c.expected - done.get(d.pk, 0)) for d in c.deadlines.all()]
        entries.append(Entry(c, [o for o in owed if o.missing > 0], now, for_region=True))
    return entries


def split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(open campaigns, most urgent first; closed ones, newest first)."""
    opened = sorted((e for e in entries if not e.campaign.is_closed), key=lambda e: e.sort_key)
    closed = sorted((e for e in entries if e.campaign.is_closed),
                    key=lambda e: (-e.campaign.start_date.toordinal(), -e.campaign.pk))
    return opened, closed


def entries_for(user, now: datetime | None = None) -> tuple[list[Entry], list[Entry]]:
    """The campaigns on the user's home page: (open, most urgent first; closed)."""
    campaigns = visible_campaigns(user)
    if allows(user, Action.VIEW_OVERVIEW):
        return split(region_entries(campaigns, now))
    if user.unit is None:
        return [], []
    return split(unit_entries(user.unit, campaigns, now))


def first_of(opened: list[Entry], closed: list[Entry]) -> Campaign | None:
    """The most urgent open campaign, else the latest closed one (read-only), else None."""
    entry = (opened or closed or [None])[0]
    return entry.campaign if entry else None


def most_urgent_for_unit(unit: Unit, now: datetime | None = None) -> Campaign | None:
    return first_of(*split(unit_entries(unit, Campaign.objects.all(), now)))


def most_urgent_for(user, now: datetime | None = None) -> Campaign | None:
    return first_of(*entries_for(user, now))


def campaign_home_url(user, campaign: Campaign) -> str:
    """Where a campaign starts for this user: the overview for region users, the unit's
    page of that campaign for a reporter."""
    if allows(user, Action.VIEW_OVERVIEW) or user.unit_id is None:
        return reverse("campaign_overview", kwargs={"pk": campaign.pk})
    return reverse("campaign_unit_home", kwargs={"campaign_pk": campaign.pk,
                                                 "code": user.unit.code})
