"""Where a mailed file goes: the campaign and progress round the mail's time falls in.

A round runs from the deadline before it to its own deadline, so a mail belongs to the
first progress deadline at or after its arrival; after a campaign's last deadline it is a
late submission of that last round. Among the open campaigns the unit takes part in, one
that had started by the mail's day wins over one still to come (next year's copy).
"""

from datetime import datetime

from django.utils import timezone

from campaigndesk.campaigns.models import Campaign, Deadline, DeadlineKind
from campaigndesk.units.models import Unit


def _campaigns(unit: Unit, when: datetime) -> list[Campaign]:
    joined = list(Campaign.objects.open().filter(participants=unit).order_by("-start_date",
                                                                             "-pk"))
    day = timezone.localdate(when)
    started = [c for c in joined if c.start_date <= day]
    return started or joined


def target(unit: Unit | None, when: datetime) -> tuple[Campaign | None, Deadline | None]:
    """(campaign, progress deadline) for a mail of `unit` that arrived at `when`; the
    deadline is None when the campaign has no progress round, both None when the unit
    takes part in no open campaign."""
    if unit is None:
        return None, None
    campaigns = _campaigns(unit, when)
    if not campaigns:
        return None, None
    deadlines = list(Deadline.objects.filter(campaign__in=campaigns, kind=DeadlineKind.PROGRESS)
                     .select_related("campaign").order_by("due_at", "pk"))
    ahead = [d for d in deadlines if d.due_at >= when]
    if ahead:
        return ahead[0].campaign, ahead[0]
    if deadlines:
        return deadlines[-1].campaign, deadlines[-1]
    return campaigns[0], None
