"""Where a mailed file goes: the campaign and progress round the mail's time falls in.

As on the web, a table goes into the earliest round the unit has not submitted yet: a
round-1 table mailed an hour after round 1's deadline is round 1, late (it used to become
an on-time round 2, leaving round 1 逾期未报). When every round is submitted, the round whose
deadline is the first at or after the arrival (a correction, which confirming refuses
until the region reopens it), or after the last deadline the last round. Among the open
campaigns the unit takes part in, one that had started by the mail's day wins over one
still to come (next year's copy).
"""

from datetime import datetime

from django.utils import timezone

from campaigndesk.campaigns.models import Campaign, Deadline, DeadlineKind, Submission
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
    # The latest campaign that had started by the mail's day (or, none yet, the next).
    return campaigns[0], round_in(campaigns[0], unit, when)


def round_in(campaign: Campaign, unit: Unit, when: datetime) -> Deadline | None:
    """The progress round of `campaign` a table of `unit` that arrived at `when` goes
    into, asked again when it is previewed and confirmed (the unit may have submitted a
    round on the web since the mail was filed)."""
    deadlines = list(Deadline.objects.filter(campaign=campaign, kind=DeadlineKind.PROGRESS)
                     .select_related("campaign").order_by("due_at", "pk"))
    sent = set(Submission.objects.filter(unit=unit, deadline__in=deadlines)
               .values_list("deadline_id", flat=True))
    unsent = [d for d in deadlines if d.pk not in sent]
    if unsent:
        return unsent[0]
    ahead = [d for d in deadlines if d.due_at >= when]
    if ahead:
        return ahead[0]
    return deadlines[-1] if deadlines else None
