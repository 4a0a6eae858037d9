"""The maintained totals (progress.totals) equal a rebuild from the rows, whatever happened.

A seeded random sequence of every transition that can change what counts — drafts saved
in the grid and imported (which must change nothing), submissions on time and late,
reopenings, corrections submitted again, units moved to another league, and 呼和浩特市's
cascade (issue 17: two counties report to it, their rows reach the region inside its
report) — over the demo's bureaus and counties, with service areas and activity types, on
SQLite and (make test's second leg) PostgreSQL. After each step the table must equal what
`rebuild_totals` makes from progress_reportedactivity, and the dashboard's figures, read
from the table, must equal the per-request sums over the rows they replaced
(oversight.row_sums).
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction

from campaigndesk.campaigns.cascade import open_cascade
from campaigndesk.campaigns.models import VocabularyKind
from campaigndesk.oversight import dashboard, row_sums
from campaigndesk.progress import services, totals
from campaigndesk.progress.models import Report, ReportedActivity, ReportStatus
from campaigndesk.progress.reported import reported
from campaigndesk.progress.table import ActivityRow
from campaigndesk.units import services as unit_services
from campaigndesk.units.models import Level, Unit

BEIJING = ZoneInfo("Asia/Shanghai")


def rebuilt(campaign_id=None) -> list[tuple]:
    """What a rebuild makes, without keeping it."""
    with transaction.atomic():
        totals.rebuild(campaign_id)
        rows = totals.table_rows(campaign_id)
        transaction.set_rollback(True)
    return rows


def random_rows(rnd: random.Random, labels: dict[str, list[str]]) -> list[ActivityRow]:
    rows = []
    for n in range(rnd.randrange(0, 5)):
        day = rnd.choice([None, *range(17, 31)])
        rows.append(ActivityRow(
            name=f"活动{rnd.randrange(10**6)}-{n}", participants=rnd.randrange(300),
            beneficiaries=rnd.randrange(900), funds_fen=rnd.randrange(10**7),
            materials_fen=rnd.randrange(10**5),
            start=date(2022, 3, day) if day else None, end=date(2022, 3, day) if day else None,
            service_areas=rnd.sample(labels["area"], rnd.randrange(0, 3)),
            tags={VocabularyKind.ACTIVITY_TYPE: rnd.sample(labels["type"],
                                                           rnd.randrange(0, 2))}))
    return rows


def figures_agree(campaign) -> None:
    """Every dashboard figure from the table equals the same figure summed from the rows."""
    region = Unit.objects.get(level=Level.REGION)
    assert dashboard.rollup(campaign, region) == row_sums.rollup(campaign, region)
    for league in Unit.objects.filter(reports_to=region)[:4]:
        assert dashboard.rollup(campaign, league) == row_sums.rollup(campaign, league)
    assert dashboard.participants_total(campaign) == row_sums.participants_total(campaign)
    for filters in (dashboard.Filters(), dashboard.Filters(start=date(2022, 3, 20)),
                    dashboard.Filters(start=date(2022, 3, 18), end=date(2022, 3, 25)),
                    dashboard.Filters(unit=Unit.objects.get(code="150100"))):
        lines, scope = dashboard.by_unit(campaign, filters)
        by_rows = row_sums.unit_sums(scope)
        assert {u.pk: t for u, t in lines if t.activities} == by_rows
        total = dashboard.total_of(lines)
        assert dashboard.by_tags(scope, total) == row_sums.by_tags(scope, total)
        assert dashboard.by_day(scope) == row_sums.by_day(scope)


def open_hohhot_cascade(demo, personas) -> list[Unit]:
    """呼和浩特市 opens the campaign to 新城区 and 回民区 (their rounds go to it)."""
    members = list(Unit.objects.filter(code__in=["150100-01", "150100-02"]).order_by("code"))
    open_cascade(personas["reporter"], demo, Unit.objects.get(code="150100"), members=members,
                 dues={d.pk: d.due_at - timedelta(hours=5) for d in demo.deadlines.all()})
    return members


@pytest.mark.parametrize("seed", [17, 2022])
def test_maintained_totals_equal_a_rebuild_after_random_transitions(demo, personas, seed):
    rnd = random.Random(seed)
    admin = personas["region_admin"]
    labels = {"area": [i.label for i in demo.vocabulary(VocabularyKind.SERVICE_AREA)],
              "type": [i.label for i in demo.vocabulary(VocabularyKind.ACTIVITY_TYPE)]}
    leagues = list(Unit.objects.filter(level=Level.LEAGUE, reports_to__level=Level.REGION))
    # Counties report too (the tree has any depth): they join the campaign.
    counties = list(Unit.objects.filter(level=Level.COUNTY, reports_to__in=leagues[:3]))[:6]
    demo.participants.add(*counties)
    members = open_hohhot_cascade(demo, personas)
    units = [*Unit.objects.filter(code__in=["150100", "150200", "150781"]), *counties,
             *members]
    moves = 0
    for step in range(45):
        unit = rnd.choice(units)
        action = rnd.choice(["save", "save", "import", "submit", "submit", "reopen", "move",
                             "resend"])
        if action == "move":
            county = Unit.objects.get(pk=rnd.choice(counties).pk)
            target = rnd.choice([league for league in leagues if league.pk != county.reports_to_id])
            unit_services.update_unit(admin, county, reports_to=target,
                                      expected_version=county.version)
            moves += 1
        elif action == "resend":
            # 呼和浩特市 sends a round again (reopened, then submitted as it is): it takes
            # its counties' rows as they are now.
            unit = Unit.objects.get(code="150100")
            sent = list(Report.objects.filter(unit=unit, status=ReportStatus.SUBMITTED,
                                              deadline__campaign=demo).order_by("pk"))
            if not sent:
                continue
            sent = rnd.choice(sent)
            services.reopen_report(admin, sent, reason="旗县区更正后重报")
            services.submit_report(admin, sent, reporter_name="填报人",
                                   reporter_phone="13800001234")
        elif action in ("save", "import"):
            report = services.current_report(demo, unit)
            if report is None:
                continue
            rows = random_rows(rnd, labels)
            if action == "save":
                services.save_round(admin, report, [(None, row) for row in rows],
                                    expected_revision=report.revision)
            else:
                services.import_rows(admin, demo, unit, rows, filename="进展.xlsx")
        elif action == "submit":
            report = services.current_report(demo, unit)
            if report is None or report.typed_rows.exists():
                continue
            when = datetime(2022, 3, rnd.choice([23, 24, 25, 30, 31]), 12, tzinfo=BEIJING)
            services.submit_report(admin, report, reporter_name="填报人",
                                   reporter_phone="13800001234", now=when)
        else:
            sent = Report.objects.filter(unit=unit, status=ReportStatus.SUBMITTED,
                                         deadline__campaign=demo).first()
            if sent is None:
                continue
            services.reopen_report(admin, sent, reason="请核对数字")
        assert totals.table_rows() == rebuilt(), f"step {step}: {action} of {unit}"
    assert moves, "the sequence moved no unit"
    assert Report.objects.filter(deadline__campaign=demo,
                                 status=ReportStatus.SUBMITTED).count() >= 3
    assert totals.table_rows(demo.pk), "nothing was counted"
    # The cascade took part: rows a county sent to 呼和浩特市, and some of them forwarded.
    assert ReportedActivity.objects.filter(within_bureau=True, is_current=True).exists()
    assert ReportedActivity.objects.filter(origin__isnull=False, is_current=True).exists()
    figures_agree(demo)


def test_rebuild_command_checks_and_repairs(demo, personas):
    report = services.current_report(demo, Unit.objects.get(code="150100"))
    services.save_round(personas["reporter"], report, [(None, ActivityRow(
        name="社工宣传日", participants=12, beneficiaries=30, start=date(2022, 3, 18)))])
    services.submit_report(personas["reporter"], report, reporter_name="填报人",
                           reporter_phone="13800001234")
    call_command("rebuild_totals", "--check")
    row = totals.table_rows(demo.pk)[0]
    from campaigndesk.progress.models import ReportedTotal

    ReportedTotal.objects.filter(unit_id=row[2], key="").update(own_participants=1)
    with pytest.raises(Exception, match="不一致"):
        call_command("rebuild_totals", "--check")
    call_command("rebuild_totals", "--campaign", str(demo.pk))
    call_command("rebuild_totals", "--check")
    region = Unit.objects.get(level=Level.REGION)
    hohhot = dict(dashboard.rollup(demo, region))[Unit.objects.get(code="150100")]
    assert (hohhot.activities, hohhot.participants) == (1, 12)


def test_a_draft_counts_nowhere(demo, personas):
    report = services.current_report(demo, Unit.objects.get(code="150100"))
    services.save_round(personas["reporter"], report, [(None, ActivityRow(
        name="草稿活动", participants=99))])
    assert totals.table_rows(demo.pk) == []


def _send(admin, report, rows):
    services.save_round(admin, report, [(None, row) for row in rows],
                        expected_revision=report.revision)
    services.submit_report(admin, report, reporter_name="填报人", reporter_phone="13800001234")


def _region_total(demo):
    region = Unit.objects.get(level=Level.REGION)
    return dashboard.total_of(dashboard.rollup(demo, region))


def test_a_cascade_counts_each_county_row_once(demo, personas):
    """County submits to its bureau, bureau submits to the region: the region's figures
    (from the table) are the sums of the rows the region counts, each county row once."""
    admin = personas["region_admin"]
    xincheng, huimin = open_hohhot_cascade(demo, personas)
    hohhot = Unit.objects.get(code="150100")
    round_one = services.current_report(demo, xincheng).deadline
    _send(admin, services.current_report(demo, xincheng), [
        ActivityRow(name="新城区开放日", participants=10, start=date(2022, 3, 18)),
        ActivityRow(name="新城区议事会", participants=20, start=date(2022, 3, 19))])
    _send(admin, services.current_report(demo, huimin), [
        ActivityRow(name="回民区走访", participants=5, start=date(2022, 3, 20))])
    # Sent to the bureau only: nothing reaches the region yet, and rebuild agrees.
    assert _region_total(demo).activities == 0
    assert totals.table_rows() == rebuilt()
    bureau = services.current_report(demo, hohhot)
    assert bureau.deadline == round_one
    _send(admin, bureau, [ActivityRow(name="呼和浩特市宣传日", participants=7)])
    region = _region_total(demo)
    assert (region.activities, region.participants) == (4, 42)
    # The rows' own sums: what the region counts, and what every row there adds up to.
    counted = row_sums.participants_total(demo)
    assert (counted.activities, counted.participants) == (4, 42)
    assert sum(r.participants for r in reported(demo)) == 42
    assert dict(dashboard.rollup(demo, Unit.objects.get(level=Level.REGION)))[hohhot] == region
    call_command("rebuild_totals", "--check")
    figures_agree(demo)

    # 新城区 corrects its round: the region still counts what 呼和浩特市 sent, until the
    # bureau sends again; then the new figures, still once.
    county = Report.objects.get(unit=xincheng, deadline=round_one)
    services.reopen_report(admin, county, reason="请核对人数")
    county.refresh_from_db()
    services.save_round(admin, county, [(row.pk, ActivityRow(
        name=row.name, participants=row.participants + 100, start=row.start_date))
        for row in county.activities.live().order_by("position")],
        expected_revision=county.revision)
    services.submit_report(admin, county, reporter_name="填报人", reporter_phone="13800001234")
    assert _region_total(demo).participants == 42
    assert totals.table_rows() == rebuilt()
    bureau = Report.objects.get(unit=hohhot, deadline=round_one)
    services.reopen_report(admin, bureau, reason="旗县区更正后重报")
    bureau.refresh_from_db()
    services.submit_report(admin, bureau, reporter_name="填报人", reporter_phone="13800001234")
    region = _region_total(demo)
    assert (region.activities, region.participants) == (4, 242)
    assert row_sums.participants_total(demo) == region
    call_command("rebuild_totals", "--check")
    figures_agree(demo)
