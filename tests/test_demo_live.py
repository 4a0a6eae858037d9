"""The live demo (issue 11.5): beside the 2022 notice, a copy whose dates put today inside it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign, Submission
from campaigndesk.campaigns.status import State, status_matrix
from campaigndesk.demo import TITLE_2022, load_demo
from campaigndesk.demo_live import live_campaign, shift_days
from campaigndesk.oversight.models import ReminderKind
from campaigndesk.oversight.reminders import due_reminders
from campaigndesk.progress.models import ReportVersion
from campaigndesk.units.models import User

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=SHANGHAI)  # a Tuesday morning


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        assert load_demo() is True
    return live_campaign()


def states(campaign, column: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    rows = status_matrix(campaign, campaign.participants.order_by("code"), now=NOW)
    for unit, statuses in rows:
        found.setdefault(statuses[column].state, set()).add(unit.name)
    return found


def test_the_live_copy_is_titled_and_has_today_inside(loaded):
    assert loaded.title == "2026年社会工作主题宣传活动（演示：日期已平移到今天）"
    assert loaded.year == 2026
    assert loaded.start_date <= NOW.date() <= loaded.end_date
    assert loaded.notice_text.startswith("【演示】本活动是内民政慈社〔2022〕3号通知的演示副本")
    first, second, summary = loaded.deadlines.all()
    assert timezone.localtime(first.due_at) < NOW  # 5 May 17:00
    assert timezone.localtime(second.due_at) == datetime(2026, 5, 12, 17, 0, tzinfo=SHANGHAI)
    assert timezone.localtime(summary.due_at).date() == date(2026, 5, 17)
    assert loaded.participants.count() == 14


def test_on_time_late_missing_and_open_all_show(loaded):
    first_round = states(loaded, 0)
    assert first_round[State.ON_TIME] == {"呼和浩特市", "赤峰市", "二连浩特市"}
    assert first_round[State.LATE] == {"乌海市"}
    assert len(first_round[State.MISSING]) == 10
    second_round = states(loaded, 1)
    assert second_round[State.ON_TIME] == {"赤峰市", "二连浩特市"}
    assert len(second_round[State.OPEN]) == 12  # most still open, 7 hours left
    assert states(loaded, 2) == {State.OPEN: {u.name for u in loaded.participants.all()}}


def test_the_overview_shows_time_left_and_every_state(loaded, client):
    client.force_login(User.objects.get(username="region-admin"))
    with time_machine.travel(NOW, tick=False):
        # Two campaigns: home lists them, the live copy first (it has a deadline ahead).
        landing = client.get(reverse("home")).content.decode()
        overview = reverse("campaign_overview", kwargs={"pk": loaded.pk})
        old = reverse("campaign_overview",
                      kwargs={"pk": Campaign.objects.exclude(pk=loaded.pk).get().pk})
        assert overview in landing and landing.index(overview) < landing.index(old)
        html = client.get(overview).content.decode()
    for words in ("按时报送", "逾期报送", "逾期未报", "未报送", "剩余7小时", "迟报"):
        assert words in html, words


def test_reminders_are_due(loaded):
    due = {(d.deadline.title, d.kind, d.offset) for d in due_reminders(loaded, NOW)}
    assert ("第二次工作进展报送", ReminderKind.BEFORE, 24) in due
    assert ("第一次工作进展报送", ReminderKind.LATE, 0) in due


def test_reports_went_through_the_services(loaded):
    versions = ReportVersion.objects.filter(report__deadline__campaign=loaded)
    # Six of the bureaus, two of 新城区 to 呼和浩特市 (the demo's cascade, issue 17).
    assert versions.count() == 8
    assert versions.filter(report__unit__code="150100-01").count() == 2
    submits = AuditEntry.objects.filter(action="progress.submit",
                                        object_id__in=[v.report_id for v in versions])
    assert submits.count() == 8
    assert list(submits.filter(message="逾期报送").values_list("changes__late", flat=True)) == [
        True]
    late = Submission.objects.get(deadline__campaign=loaded, unit__code="150300")
    assert late.delay == timedelta(hours=16, minutes=40)  # as 乌海市 in 2022: 9:40 next day
    # 呼和浩特市's second week is a draft in its grid, not sent.
    draft = loaded.deadlines.all()[1].reports.get(unit__code="150100")
    assert draft.status != "submitted" and draft.activities.count() == 1


def test_the_2022_campaign_is_unchanged(loaded):
    notice = Campaign.objects.get(title=TITLE_2022)
    assert notice.year == 2022 and notice.document_number == "内民政慈社〔2022〕3号"
    assert [timezone.localtime(d.due_at).date() for d in notice.deadlines.all()] == [
        date(2022, 3, 24), date(2022, 3, 31), date(2022, 4, 5)]
    late = {s.unit.code: s.is_late for s in Submission.objects.filter(deadline__campaign=notice)}
    assert late == {"150400": False, "152501": False, "150300": True}


def test_loading_again_adds_nothing(loaded):
    counts = (Campaign.objects.count(), Submission.objects.count(),
              ReportVersion.objects.count(), AuditEntry.objects.count())
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert load_demo() is False
    assert (Campaign.objects.count(), Submission.objects.count(),
            ReportVersion.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.parametrize("hour, minute", [(0, 5), (9, 0), (14, 59), (15, 0), (16, 59),
                                          (17, 0), (23, 59)])
def test_the_second_deadline_is_always_hours_ahead_at_17_00(hour, minute):
    now = datetime(2026, 5, 12, hour, minute, tzinfo=SHANGHAI)
    second = datetime(2022, 3, 31, 17, 0, tzinfo=SHANGHAI) + timedelta(days=shift_days(now))
    assert timedelta(hours=2) <= second - now <= timedelta(hours=26)
    first = second - timedelta(days=7)
    assert now - first < timedelta(days=7)  # the late notice of the first round is still due


def test_the_demo_places_cover_every_bureau_and_signage_follows_a_poster(loaded):
    from campaigndesk.places.models import Place, PosterPrint, Signage
    from campaigndesk.units.models import Unit

    bureaus = set(Unit.objects.reporting().values_list("pk", flat=True))
    places = Place.objects.select_related("unit")
    covered = {p.unit.pk if p.unit.pk in bureaus else p.unit.reports_to_id for p in places}
    assert covered == bureaus and 30 <= places.count() <= 60
    assert places.filter(longitude__isnull=False).count() == 14  # a map link for each bureau
    confirmed = set(Signage.objects.filter(campaign=loaded).values_list("place_id", flat=True))
    printed = set(PosterPrint.objects.filter(campaign=loaded).values_list("place_id", flat=True))
    # A sign confirmed as posted was printed first.
    assert confirmed and confirmed <= printed < set(places.values_list("pk", flat=True))
