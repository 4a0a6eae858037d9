"""Where each unit stands with each deadline: on time, late, still open or missing."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigndesk.units.models import Unit

from .models import Campaign, Deadline, Submission


class State(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OPEN = "open"
    MISSING = "missing"
    REOPENED = "reopened"  # sent, then returned by the region for correction


LABELS = {
    State.ON_TIME: _("按时报送"),
    State.LATE: _("逾期报送"),
    State.OPEN: _("未报送"),
    State.MISSING: _("逾期未报"),
    State.REOPENED: _("退回修改中"),
}
# The short words of a spreadsheet cell (the consolidated workbook's 汇总 sheet), where
# the summary row counts them: 按时 12，迟报 1，未报 1.
CELL_WORDS = {
    State.ON_TIME: _("按时"),
    State.LATE: _("迟报"),
    State.OPEN: _("未到期"),
    State.MISSING: _("未报"),
    State.REOPENED: _("退回修改"),
}
# States whose unit has sent the deadline at least once: its last sent version counts in the
# figures (progress.reported), so a report under correction still counts as reported.
SENT = frozenset({State.ON_TIME, State.LATE, State.REOPENED})


def format_duration(delta: timedelta) -> str:
    """2天3小时, 45分钟: the coarse form people use when talking about deadlines."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        if hours:
            return gettext("%(days)s天%(hours)s小时") % {"days": days, "hours": hours}
        return gettext("%(days)s天") % {"days": days}
    if hours:
        if minutes:
            return gettext("%(hours)s小时%(minutes)s分钟") % {"hours": hours, "minutes": minutes}
        return gettext("%(hours)s小时") % {"hours": hours}
    return gettext("%(minutes)s分钟") % {"minutes": minutes}


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: Deadline
    unit: Unit
    submission: Submission | None
    now: datetime

    @property
    def state(self) -> State:
        if self.submission is not None:
            if self.submission.reopened_at is not None:
                return State.REOPENED
            return State.LATE if self.submission.is_late else State.ON_TIME
        return State.MISSING if self.now > self.deadline.due_at else State.OPEN

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def cell(self) -> str:
        """按时, 迟报（2小时30分钟）, 未到期 or 未报: one spreadsheet cell."""
        word = str(CELL_WORDS[self.state])
        if self.state == State.LATE:
            return f"{word}（{format_duration(self.submission.delay)}）"
        return word

    @property
    def detail(self) -> str:
        state = self.state
        if state == State.LATE:
            late = gettext("迟报%(duration)s") % {
                "duration": format_duration(self.submission.delay)}
            return late + gettext("（邮件报送）") if self.submission.by_mail else late
        if state == State.REOPENED:
            returned = timezone.localtime(self.submission.reopened_at).strftime("%m-%d %H:%M")
            return gettext("%(time)s退回，待重新报送") % {"time": returned}
        if state == State.ON_TIME:
            submitted = timezone.localtime(self.submission.submitted_at).strftime("%m-%d %H:%M")
            if self.submission.by_mail:  # the mail's arrival, confirmed on the site later
                return gettext("%(time)s邮件报送") % {"time": submitted}
            return gettext("%(time)s提交") % {"time": submitted}
        if state == State.MISSING:
            return gettext("已逾期%(duration)s") % {
                "duration": format_duration(self.now - self.deadline.due_at)}
        return gettext("剩余%(duration)s") % {
            "duration": format_duration(self.deadline.due_at - self.now)}


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
    done = sum(1 for _, statuses in rows if statuses[deadline_index].state in SENT)
    return done, len(rows)
