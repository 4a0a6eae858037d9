"""What a campaign's year, dates, deadlines and photo count may be.

A campaign runs within its year; dates a year either side are allowed (a notice sent in
December, a summary due in January). Anything further is a typing mistake that used to be
saved as it was — year 99999, start 0001-01-01, a deadline 9999-12-31 — and then broke
copying (a date moved past 9999). The forms show these messages beside the field, and the
services check the same rules for every other caller.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

YEARS = range(2000, 2101)
MIN_PHOTOS = range(0, 21)


def year_problem(year) -> str | None:
    if not isinstance(year, int) or year not in YEARS:
        return _("年度应在 %(low)s—%(high)s 之间") % {"low": YEARS.start, "high": YEARS.stop - 1}
    return None


def min_photos_problem(value) -> str | None:
    if not isinstance(value, int) or value not in MIN_PHOTOS:
        return _("每篇稿件至少照片数应在 %(low)s—%(high)s 之间") % {
            "low": MIN_PHOTOS.start, "high": MIN_PHOTOS.stop - 1}
    return None


def window(year: int) -> tuple[date, date]:
    """The dates a campaign of `year` may use (year within YEARS)."""
    return date(year - 1, 1, 1), date(year + 1, 12, 31)


def _outside(year: int) -> str:
    low, high = window(year)
    return _("应在 %(low)s 至 %(high)s 之间（活动年度前后一年内）") % {
        "low": f"{low:%Y-%m-%d}", "high": f"{high:%Y-%m-%d}"}


def date_problem(year: int, value: date) -> str | None:
    """For a campaign whose year has passed year_problem."""
    low, high = window(year)
    return None if low <= value <= high else _outside(year)


def due_problem(year: int, start: date | None, due_at: datetime) -> str | None:
    """For a deadline of a campaign whose year has passed year_problem."""
    day = timezone.localtime(due_at).date() if timezone.is_aware(due_at) else due_at.date()
    if problem := date_problem(year, day):
        return problem
    if start is not None and day < start:
        return _("不能早于活动开始日期（%(start)s）") % {"start": f"{start:%Y-%m-%d}"}
    return None


def campaign_problems(fields: Mapping, deadlines: Iterable) -> list[str]:
    """Every rule above, each message naming its field (or deadline), for the services."""
    year = fields.get("year")
    problems = [p for p in (year_problem(year), min_photos_problem(fields.get("min_photos", 0)))
                if p]
    if year_problem(year):
        return problems
    for name, label in (("start_date", _("开始日期")), ("end_date", _("结束日期"))):
        value = fields.get(name)
        if value is not None and (problem := date_problem(year, value)):
            problems.append(f"{label}{problem}")
    for deadline in deadlines:
        if problem := due_problem(year, fields.get("start_date"), deadline.due_at):
            problems.append(_("报送节点“%(title)s”的截止时间%(problem)s") % {
                "title": deadline.title, "problem": problem})
    return problems
