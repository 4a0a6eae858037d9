"""Where each unit stands with each deadline: on time, late, still open or missing."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

from campaigndesk.units.models import Unit

from .models import Campaign, Deadline, Submission


class State(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OPEN = "open"
    MISSING = "missing"


LABELS = {
    State.ON_TIME: "按时报送",
    State.LATE: "逾期报送",
    State.OPEN: "未报送",
    State.MISSING: "逾期未报",
}


def format_duration(delta: timedelta) -> str:
    """2天3小时, 45分钟: the coarse form people use when talking about deadlines."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    return f"{minutes}分钟"


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: Deadline
    unit: Unit
    submission: Submission | None
    now: datetime

    @property
    def state(self) -> State:
        if self.submission is not None:
            return State.LATE if self.submission.is_late else State.ON_TIME
        return State.MISSING if self.now > self.deadline.due_at else State.OPEN

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def detail(self) -> str:
        state = self.state
        if state == State.LATE:
            return f"迟报{format_duration(self.submission.delay)}"
        if state == State.ON_TIME:
            return f"{timezone.localtime(self.submission.submitted_at):%m-%d %H:%M}提交"
        if state == State.MISSING:
            return f"已逾期{format_duration(self.now - self.deadline.due_at)}"
        return f"剩余{format_duration(self.deadline.due_at - self.now)}"


def unit_statuses(campaign: Campaign, unit: Unit, now: datetime | None = None):
    now = now or timezone.now()
    deadlines = list(campaign.deadlines.all())
    submissions = {
        s.deadline_id: s
        for s in Submission.objects.filter(unit=unit, deadline__campaign=campaign)
        .select_related("deadline")
    }
    return [DeadlineStatus(d, unit, submissions.get(d.pk), now) for d in deadlines]


def status_matrix(campaign: Campaign, units, now: datetime | None = None):
    """[(unit, [DeadlineStatus per deadline])] with one query for all submissions."""
    now = now or timezone.now()
    deadlines = list(campaign.deadlines.all())
    submissions = {
        (s.unit_id, s.deadline_id): s
        for s in Submission.objects.filter(deadline__campaign=campaign).select_related("deadline")
    }
    return [
        (unit, [DeadlineStatus(d, unit, submissions.get((unit.pk, d.pk)), now) for d in deadlines])
        for unit in units
    ]


def reporting_rate(rows, deadline_index: int) -> tuple[int, int]:
    """(units that submitted, units expected) for one deadline column of the matrix."""
    done = sum(
        1 for _, statuses in rows if statuses[deadline_index].state in {State.ON_TIME, State.LATE}
    )
    return done, len(rows)
