"""Weekly progress reports: rounds, submission, lateness, versions, reopening, totals."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Submission
from campaigndesk.campaigns.status import State, unit_statuses
from campaigndesk.progress import services
from campaigndesk.progress.diff import diff_snapshots
from campaigndesk.progress.models import Activity, ReportStatus
from campaigndesk.progress.table import ActivityRow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def row(name="社工进社区宣传活动", **values):
    base = dict(name=name, organizations=["呼和浩特市社会工作协会"], participants=12,
                start=date(2022, 3, 18), end=date(2022, 3, 18), location="新城区兴安路社区",
                content="发放宣传册，讲解社会工作知识", service_areas=["老年人"],
                beneficiaries=150, funds_fen=120050, materials_fen=3001, remarks="")
    base.update(values)
    if "start" in values and "end" not in values:
        base["end"] = values["start"]
    return ActivityRow(**base)


@pytest.fixture
def hohhot(units):
    return units["150100"]


def test_first_round_is_the_open_report(demo, hohhot):
    report = services.current_report(demo, hohhot)
    assert report.deadline.title == "第一次工作进展报送"
    assert report.status == ReportStatus.DRAFT


def test_saving_the_grid_creates_updates_and_removes(demo, hohhot, personas):
    report = services.current_report(demo, hohhot)
    user = personas["reporter"]
    services.save_round(user, report, [(None, row("甲")), (None, row("乙"))])
    first, second = Activity.objects.live().order_by("position")
    result = services.save_round(user, report, [(second.pk, row("乙（改）", participants=30)),
                                                (None, row("丙"))])
    assert (result.created, result.updated, result.deleted) == (1, 1, 1)
    names = list(Activity.objects.live().order_by("position").values_list("name", flat=True))
    assert names == ["乙（改）", "丙"]
    assert Activity.objects.get(pk=first.pk).is_deleted  # soft delete, nothing lost
    assert [t.label for t in Activity.objects.get(name="丙").tags.all()] == ["老年人"]


def test_submission_on_time_freezes_a_version(demo, hohhot, personas):
    report = services.current_report(demo, hohhot)
    services.save_round(personas["reporter"], report, [(None, row())])
    version = services.submit_report(personas["reporter"], report, reporter_name="王芳",
                                     reporter_phone="138 0000 1234",
                                     now=beijing(2022, 3, 24, 16, 59))
    assert version.number == 1 and not version.is_late
    assert version.snapshot["reporter_phone"] == "13800001234"
    assert version.snapshot["activities"][0]["funds_fen"] == 120050
    statuses = unit_statuses(demo, hohhot, now=beijing(2022, 3, 25, 9))
    assert statuses[0].state == State.ON_TIME
    assert services.current_report(demo, hohhot).deadline.title == "第二次工作进展报送"
    with pytest.raises(services.ReportLocked):
        services.save_round(personas["reporter"], report, [(None, row("迟到的一行"))])


def test_submission_after_17_00_is_accepted_and_marked_late(demo, hohhot, personas):
    report = services.current_report(demo, hohhot)
    version = services.submit_report(personas["reporter"], report, reporter_name="王芳",
                                     reporter_phone="13800001234",
                                     now=beijing(2022, 3, 24, 17, 1))
    assert version.is_late
    assert Submission.objects.get(unit=hohhot).is_late
    assert AuditEntry.objects.get(action="progress.submit").message == "逾期报送"


@pytest.mark.parametrize("phone", ["1380000123", "23800001234", "0471-6946872", ""])
def test_bad_mobile_number_is_refused_naming_the_field(demo, hohhot, personas, phone):
    report = services.current_report(demo, hohhot)
    with pytest.raises(ValidationError) as err:
        services.submit_report(personas["reporter"], report, reporter_name="王芳",
                               reporter_phone=phone)
    assert "reporter_phone" in err.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.versions.exists()


def test_reopen_needs_a_reason_and_the_next_submission_is_version_two(demo, hohhot,
                                                                      personas):
    reporter, admin = personas["reporter"], personas["region_admin"]
    report = services.current_report(demo, hohhot)
    services.save_round(reporter, report, [(None, row("甲")), (None, row("乙"))])
    services.submit_report(reporter, report, reporter_name="王芳", reporter_phone="13800001234",
                           now=beijing(2022, 3, 24, 10))
    with pytest.raises(ValidationError):
        services.reopen_report(admin, report, reason="  ")
    services.reopen_report(admin, report, reason="参与人次填写有误")
    assert AuditEntry.objects.get(action="progress.reopen").message == "参与人次填写有误"
    # Sent back: corrected in place (a round of its own in the grid); new activities go
    # to the next open round.
    assert report in services.editable_rounds(demo, hohhot)
    assert services.current_report(demo, hohhot) != report
    甲, 乙 = report.activities.live().order_by("position")
    services.save_round(reporter, report, [(甲.pk, row("甲", participants=40)),
                                           (None, row("丙"))])
    v2 = services.submit_report(reporter, report, reporter_name="王芳",
                                reporter_phone="13900001234", now=beijing(2022, 3, 25, 10))
    assert v2.number == 2 and v2.is_late
    # the unit's timeliness is that of its first submission
    assert not Submission.objects.get(unit=hohhot).is_late
    v1 = report.versions.get(number=1)
    change = diff_snapshots(v1.snapshot, v2.snapshot)
    assert change.added == ["丙"]
    assert change.removed == ["乙"]
    assert change.changed[0].name == "甲"
    assert change.changed[0].fields == [("参与人次", "12", "40")]
    assert change.header == [("手机号码", "13800001234", "13900001234"),
                             ("填报时间", "2022-03-24", "2022-03-25")]


def test_cumulative_table_is_matched_not_duplicated(demo, hohhot, personas):
    reporter = personas["reporter"]
    first = services.import_rows(reporter, demo, hohhot, [row("甲"), row("乙")])
    assert first.created == 2
    report = services.current_report(demo, hohhot)
    services.submit_report(reporter, report, reporter_name="王芳", reporter_phone="13800001234",
                           now=beijing(2022, 3, 24, 10))
    # the second week's table repeats the first week's rows (one with a changed figure)
    changed = row("乙", participants=99, row=3, sheet="回民区")  # from a file of several sheets
    again = services.import_rows(reporter, demo, hohhot, [
        row("甲"), changed, row("丙", start=date(2022, 3, 28))])
    assert again.created == 1 and again.unchanged == 1
    assert again.skipped == ["工作表“回民区”第 3 行“乙”已在第一次工作进展报送中报送，"
                             "内容有变化但该轮已报送，未更新；如需更正请联系自治区管理员退回"]
    assert Activity.objects.live().count() == 3
    rounds = dict(Activity.objects.live().values_list("name", "report__deadline__title"))
    assert rounds == {"甲": "第一次工作进展报送", "乙": "第一次工作进展报送",
                      "丙": "第二次工作进展报送"}


def test_same_name_and_day_in_one_table_are_two_activities(demo, hohhot, personas):
    # Generic names are common: two communities, the same day, the same 活动名称.
    reporter = personas["reporter"]
    table = [row("社会工作宣传活动", location="甲社区", participants=10),
             row("社会工作宣传活动", location="乙社区", participants=20),
             row("社会工作宣传活动", location="丙社区", participants=30)]
    first = services.import_rows(reporter, demo, hohhot, table)
    assert (first.created, first.updated) == (3, 0)
    assert sorted(Activity.objects.live().values_list("location", "participants")) == [
        ("丙社区", 30), ("乙社区", 20), ("甲社区", 10)]
    # The preview says the same: a fourth row of that name is new, the three are known.
    from campaigndesk.progress import uploads
    from campaigndesk.progress.excel_in import ReadResult

    plan = uploads.plan(ReadResult(rows=[*table, row("社会工作宣传活动", location="丁社区")]),
                        demo, hohhot)
    assert (plan.new, plan.already_reported) == (1, 3)
    assert (plan.updated, plan.unchanged) == (0, 3)
    # A corrected row is announced as an update, as the import will do it.
    corrected = [table[0], row("社会工作宣传活动", location="乙社区", participants=21), table[2]]
    plan = uploads.plan(ReadResult(rows=corrected), demo, hohhot)
    assert (plan.new, plan.updated, plan.unchanged) == (0, 1, 2)
    # The same table again, as a cumulative table sends it: matched row for row.
    again = services.import_rows(reporter, demo, hohhot, table)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # One of them corrected: only that one changes.
    table[1] = row("社会工作宣传活动", location="乙社区", participants=25)
    fixed = services.import_rows(reporter, demo, hohhot, table)
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 1, 2)
    assert sorted(Activity.objects.live().values_list("participants", flat=True)) == [10, 25, 30]


def test_matching_ignores_spacing_and_full_width_forms(demo, hohhot, personas):
    services.import_rows(personas["reporter"], demo, hohhot, [row("“五社联动”进社区 宣传")])
    result = services.import_rows(personas["reporter"], demo, hohhot,
                                  [row("五社联动进社区宣传")])
    assert result.created == 0
    assert Activity.objects.live().count() == 1


def test_round_and_cumulative_totals_are_exact_to_the_fen(demo, hohhot, personas):
    reporter = personas["reporter"]
    report = services.current_report(demo, hohhot)
    # 0.10 + 0.20 is not 0.30 in floating point; integer fen is.
    services.save_round(reporter, report, [(None, row("甲", funds_fen=10, materials_fen=1)),
                                           (None, row("乙", funds_fen=20, materials_fen=2))])
    services.submit_report(reporter, report, reporter_name="王芳", reporter_phone="13800001234",
                           now=beijing(2022, 3, 24, 10))
    second = services.current_report(demo, hohhot)
    services.save_round(reporter, second, [(None, row("丙", funds_fen=999_999_999_99))])
    assert services.round_totals(report).funds_fen == 30
    # A draft does not count until it is sent.
    assert services.cumulative_totals(second).funds_fen == 30
    services.submit_report(reporter, second, reporter_name="王芳", reporter_phone="13800001234",
                           now=beijing(2022, 3, 31, 10))
    cumulative = services.cumulative_totals(second)
    assert cumulative.funds_fen == 999_999_999_99 + 30
    assert cumulative.activities == 3
    assert cumulative.participants == 36
    assert isinstance(cumulative.funds_fen, int)


def _import_statements(campaign, unit, n: int) -> tuple[int, services.SaveResult]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [row(f"导入活动{i}", service_areas=["老年人"] if i % 2 else [],
                start=date(2022, 3, 17 + i % 14)) for i in range(n)]
    with CaptureQueriesContext(connection) as queries:
        result = services.import_rows(None, campaign, unit, rows)
    return len(queries.captured_queries), result


def test_an_import_writes_in_bulk_whatever_its_size(demo):
    """Issue 12 point 8: a 15,000-row import held the write lock ~20 s, one INSERT per row
    and per tag. The statements of an import do not grow with its rows (bench/import_lock.py
    measures the time)."""
    from campaigndesk.units.models import Unit

    small, result_small = _import_statements(demo, Unit.objects.get(code="150200"), 40)
    large, result_large = _import_statements(demo, Unit.objects.get(code="150300"), 1200)
    assert (result_small.created, result_large.created) == (40, 1200)
    assert large == small
    baotou = Activity.objects.filter(unit__code="150200").order_by("position")
    assert [a.position for a in baotou] == list(range(1, 41))
    assert [t.label for t in baotou[1].tags.all()] == ["老年人"] and not baotou[0].tags.exists()
    # Updating them again is in bulk too: a changed row per activity, 500 per statement.
    changed = [row(f"导入活动{i}", participants=99, start=date(2022, 3, 17 + i % 14),
                   service_areas=[]) for i in range(40)]
    result = services.import_rows(None, demo, Unit.objects.get(code="150200"), changed)
    assert result.updated == 40
    assert set(Activity.objects.filter(unit__code="150200").values_list("participants",
                                                                        flat=True)) == {99}
    assert not Activity.tags.through.objects.filter(activity__unit__code="150200").exists()


def test_saving_the_grid_unchanged_changes_nothing(demo, hohhot, personas):
    reporter = personas["reporter"]
    report = services.current_report(demo, hohhot)
    services.save_round(reporter, report, [(None, row("甲")), (None, row("乙"))])
    saved = [(a.pk, a.to_row()) for a in report.activities.live().order_by("position")]
    stamps = list(report.activities.live().values_list("updated_at", flat=True))
    result = services.save_round(reporter, report, saved)
    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 0, 0, 2)
    assert list(report.activities.live().values_list("updated_at", flat=True)) == stamps
    swapped = services.save_round(reporter, report, [saved[1], saved[0]])
    assert swapped.updated == 2  # the order is part of the table
