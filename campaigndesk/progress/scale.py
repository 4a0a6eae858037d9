"""A national-scale installation, generated for benchmarks (issue 17 point 3).

One ministry, 31 provinces, ~340 prefecture-level, ~2,800 county-level and ~40,000
township units along reports_to, one campaign with two progress rounds, and 500,000
submitted activities with service areas, activity types and 五社 elements, spread over
the townships (nine in ten) and the bureaus above them. Rows go in with PostgreSQL's COPY
(SQLite: executemany) into an empty database, straight into the tables, as a year of
submissions would have left them; the maintained totals are then made by
progress.totals.rebuild, which is also what the benchmark checks against.

The unit levels are the product's four (Level): the ministry and the provinces are
"region", prefectures "league", counties "county", townships "grassroots". The totals,
the roll-ups and the permissions follow reports_to only, whatever the level says.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from campaigndesk.campaigns.models import (
    Campaign,
    Deadline,
    DeadlineKind,
    Submission,
    VocabularyItem,
    VocabularyKind,
)
from campaigndesk.units.models import Role, Unit, User

from . import totals
from .models import Report, ReportedActivity, ReportVersion

SHAPE = {"provinces": 31, "prefectures": 340, "counties": 2_800, "townships": 40_000}
AREAS = ("老年人", "残疾人", "妇女", "儿童青少年", "困难群体", "社区居民", "优抚对象", "其他")
TYPES = ("新闻报道", "公益广告", "微电影", "社工站开放日", "专业培训", "全屏宣传")
FIVE = ("社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源")
PASSWORD = "Bench#2022x"  # noqa: S105 - the throwaway account of a benchmark database


@dataclass
class Generated:
    campaign: Campaign
    admin: User
    ministry: int
    province: int  # a province's unit id (the 31 report to the ministry)
    prefecture: int
    prefecture_reporter: User
    units: int
    activities: int
    seconds: float
    totals_seconds: float


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ",".join(["%s"] * len(columns))
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(f"INSERT INTO {table} ({','.join(columns)}) "  # noqa: S608
                                   f"VALUES ({marks})", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({','.join(columns)}) "  # noqa: S608
                               f"VALUES ({marks})", batch)


def _tree(rnd: random.Random, shape: dict[str, int]) -> list[tuple]:
    """(id, code, name, level, parent id, report_path) root first, every parent before its
    children; children spread unevenly over their parents, as real divisions are."""
    rows: list[tuple] = [(1, "000000", "民政部", "region", None, "/1/")]
    levels = [("provinces", "region", "省"), ("prefectures", "league", "市"),
              ("counties", "county", "县"), ("townships", "grassroots", "乡镇社工站")]
    parents = [rows[0]]
    for key, level, word in levels:
        count = shape[key]
        # Every parent gets one child, the rest go at random: 31 provinces of 5 to 20
        # prefectures, and so on.
        owners = list(parents) + [rnd.choice(parents) for _ in range(count - len(parents))]
        owners.sort(key=lambda parent: parent[0])
        made = []
        for n, parent in enumerate(owners, start=1):
            pk = len(rows) + 1
            code = f"{parent[1][:2] if level != 'region' else ''}{pk:08d}"
            row = (pk, code, f"{parent[2]}第{n}{word}", level, parent[0], f"{parent[5]}{pk}/")
            rows.append(row)
            made.append(row)
        parents = made
    return rows


def generate(*, shape: dict[str, int] | None = None, activities: int = 500_000,
             seed: int = 17) -> Generated:
    """Fill an empty, migrated database. Raises RuntimeError when units exist already."""
    shape = shape or SHAPE
    if Unit.objects.exists():
        raise RuntimeError("the database already holds units: generate into an empty one")
    started = time.perf_counter()
    rnd = random.Random(seed)
    units = _tree(rnd, shape)
    with transaction.atomic():
        _copy(Unit._meta.db_table, ("id", "code", "name", "short_names", "level",
                                    "geo_parent_id", "reports_to_id", "report_path",
                                    "is_active", "version"),
              ((pk, code, name, "[]", level, parent, parent, path, True, 0)
               for pk, code, name, level, parent, path in units))
        _reset_sequences(Unit)
        admin = User.objects.create_user("bench-admin", password=PASSWORD,
                                         role=Role.REGION_ADMIN)
        campaign = Campaign.objects.create(
            year=2022, title="全国社会工作主题宣传活动（基准数据）", slogan="五社联动聚合力",
            start_date=date(2022, 3, 17), end_date=date(2022, 3, 31))
        items = []
        for kind, labels in ((VocabularyKind.SERVICE_AREA, AREAS),
                             (VocabularyKind.ACTIVITY_TYPE, TYPES),
                             (VocabularyKind.FIVE_SOCIAL, FIVE)):
            items += [VocabularyItem.objects.create(campaign=campaign, kind=kind, position=n,
                                                    label=label)
                      for n, label in enumerate(labels)]
        areas = [i.pk for i in items if i.kind == VocabularyKind.SERVICE_AREA]
        types = [i.pk for i in items if i.kind == VocabularyKind.ACTIVITY_TYPE]
        five = [i.pk for i in items if i.kind == VocabularyKind.FIVE_SOCIAL]
        due = [timezone.make_aware(datetime(2022, 3, d, 17)) for d in (24, 31)]
        rounds = [Deadline.objects.create(campaign=campaign, kind=DeadlineKind.PROGRESS,
                                          title=f"第{i + 1}次工作进展报送", due_at=at)
                  for i, at in enumerate(due)]
        Deadline.objects.create(campaign=campaign, kind=DeadlineKind.SUMMARY,
                                title="活动总结报送",
                                due_at=timezone.make_aware(datetime(2022, 4, 5, 23, 59)))
        members = [row[0] for row in units[1:]]
        townships = [row[0] for row in units if row[3] == "grassroots"]
        bureaus = [row[0] for row in units[1:] if row[3] != "grassroots"]
        _copy(Campaign.participants.through._meta.db_table, ("campaign_id", "unit_id"),
              ((campaign.pk, u) for u in members))
        # Round 1 sent by nearly everyone, round 2 by most; the rows go to the sent ones.
        sent = {(r, u) for r in range(2) for u in members
                if rnd.random() < (0.95 if r == 0 else 0.7)}
        reports = sorted(sent, key=lambda key: (key[0], key[1]))
        report_id = {key: n for n, key in enumerate(reports, start=1)}
        _copy(Report._meta.db_table, ("id", "deadline_id", "unit_id", "status", "reporter_name",
                                      "reporter_phone", "revision"),
              ((report_id[key], rounds[key[0]].pk, key[1], "submitted", "填报人",
                "13800001234", 1) for key in reports))
        # UTC without an offset, as Django writes them (SQLite compares them as text):
        # 08:00 Beijing time on the due day, one in ten a day late.
        stamp = {0: "2022-03-24 00:00:00", 1: "2022-03-31 00:00:00"}
        late = {0: "2022-03-25 01:30:00", 1: "2022-04-01 02:00:00"}
        when = {key: late[key[0]] if rnd.random() < 0.1 else stamp[key[0]] for key in reports}
        _copy(ReportVersion._meta.db_table, ("id", "report_id", "number", "submitted_at",
                                             "submitted_by_id", "snapshot", "by_mail"),
              ((report_id[key], report_id[key], 1, when[key], admin.pk, "{}", False)
               for key in reports))
        _copy(Submission._meta.db_table, ("deadline_id", "unit_id", "submitted_at",
                                          "submitted_by_id", "by_mail"),
              ((rounds[key[0]].pk, key[1], when[key], admin.pk, False) for key in reports))
        by_unit = {}
        for r, u in reports:
            by_unit.setdefault(u, []).append(r)
        township_owners = [u for u in townships if u in by_unit]
        bureau_owners = [u for u in bureaus if u in by_unit]
        tags: list[tuple[int, int]] = []

        def rows():
            for pk in range(1, activities + 1):
                unit = rnd.choice(township_owners if rnd.random() < 0.9 else bureau_owners)
                r = rnd.choice(by_unit[unit])
                start = date(2022, 3, 17) + timedelta(days=rnd.randrange(15))
                chosen = {rnd.choice(areas)} | ({rnd.choice(areas)} if rnd.random() < 0.3
                                               else set())
                if rnd.random() < 0.7:
                    chosen.add(rnd.choice(types))
                if rnd.random() < 0.5:
                    chosen.add(rnd.choice(five))
                tags.extend((pk, item) for item in chosen)
                day = None if rnd.random() < 0.01 else start
                yield (pk, campaign.pk, unit, report_id[(r, unit)], report_id[(r, unit)],
                       rounds[r].pk, pk, f"活动{pk}", "[]", rnd.randrange(200), day, day, "",
                       "", "", rnd.randrange(500), rnd.randrange(10**6), rnd.randrange(10**5),
                       "", True, False)

        _copy(ReportedActivity._meta.db_table, (
            "id", "campaign_id", "unit_id", "report_id", "version_id", "deadline_id",
            "position", "name", "organizations", "participants", "start_date", "end_date",
            "location", "content", "service_other", "beneficiaries", "funds_fen",
            "materials_fen", "remarks", "is_current", "within_bureau"), rows())
        _copy(ReportedActivity.tags.through._meta.db_table,
              ("reportedactivity_id", "vocabularyitem_id"), tags)
        _reset_sequences(Report, ReportVersion, Submission, ReportedActivity,
                         ReportedActivity.tags.through, Campaign.participants.through)
        generated_at = time.perf_counter()
        totals.rebuild(campaign.pk)
        totals_seconds = time.perf_counter() - generated_at
        prefecture = next(row for row in units if row[3] == "league")
        reporter = User.objects.create_user(prefecture[1], password=PASSWORD,
                                            role=Role.REPORTER, unit_id=prefecture[0])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Generated(campaign=campaign, admin=admin, ministry=1,
                     province=units[1][0], prefecture=prefecture[0],
                     prefecture_reporter=reporter, units=len(units),
                     activities=activities, seconds=time.perf_counter() - started,
                     totals_seconds=totals_seconds)


def _reset_sequences(*models) -> None:
    # Rows went in with their ids: PostgreSQL's sequences must move past them.
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
