"""The home page's order: the campaign with the earliest deadline still owed first (so an
overdue, unsent one before one still to come), campaigns with nothing owed after, closed
ones apart."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from campaigndesk.campaigns import urgency
from campaigndesk.campaigns.models import Submission
from campaigndesk.campaigns.services import close_campaign

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE_2023_ROUND_1 = datetime(2023, 3, 20, 9, tzinfo=SHANGHAI)


def titles(entries) -> list[str]:
    return [e.campaign.title for e in entries]


def send_everything(campaign, unit, user):
    for deadline in campaign.deadlines.all():
        Submission.objects.get_or_create(deadline=deadline, unit=unit, defaults={
            "submitted_at": deadline.due_at, "submitted_by": user})


@time_machine.travel(datetime(2022, 4, 2, 9, tzinfo=SHANGHAI), tick=False)
def test_overdue_and_unsent_comes_before_the_next_deadline(walk, personas):
    opened, closed = urgency.entries_for(personas["reporter"])
    assert titles(opened) == ["2022年社会工作主题宣传活动", "2023年社会工作主题宣传活动"]
    old, new = opened
    assert old.overdue and old.first.deadline.title == "第二次工作进展报送"
    assert old.summary == "逾期未报：第二次工作进展报送（已逾期1天16小时）"
    assert not new.overdue
    assert closed == []
    assert urgency.most_urgent_for_unit(walk.unit) == walk.old


@time_machine.travel(BEFORE_2023_ROUND_1, tick=False)
def test_this_weeks_deadline_comes_before_one_missed_long_ago(walk, personas):
    """A round missed a year ago stays listed, but after this week's (an outside tester saw
    the 2022 demo campaign, 1,715 days overdue, stay "most urgent" for ever)."""
    opened, closed = urgency.entries_for(personas["reporter"])
    assert titles(opened) == ["2023年社会工作主题宣传活动", "2022年社会工作主题宣传活动"]
    new, old = opened
    # Long ago: the date, not "353天16小时".
    assert old.overdue and old.summary == "逾期未报：第二次工作进展报送（2022年3月31日截止）"
    assert not new.overdue and new.summary == "下一个节点：第一次工作进展报送（剩余4天8小时）"
    assert urgency.most_urgent_for_unit(walk.unit) == walk.new


@time_machine.travel(BEFORE_2023_ROUND_1, tick=False)
def test_a_campaign_with_nothing_owed_goes_last(walk, personas):
    send_everything(walk.old, walk.unit, personas["reporter"])
    opened, _closed = urgency.entries_for(personas["reporter"])
    assert titles(opened) == ["2023年社会工作主题宣传活动", "2022年社会工作主题宣传活动"]
    assert opened[1].summary == "各报送节点均已报送"
    assert urgency.most_urgent_for_unit(walk.unit) == walk.new


@time_machine.travel(BEFORE_2023_ROUND_1, tick=False)
def test_closed_campaigns_are_apart_and_never_the_most_urgent(walk, personas):
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    opened, closed = urgency.entries_for(personas["reporter"])
    assert titles(opened) == ["2023年社会工作主题宣传活动"]
    assert titles(closed) == ["2022年社会工作主题宣传活动"]
    assert urgency.most_urgent_for_unit(walk.unit) == walk.new


@time_machine.travel(BEFORE_2023_ROUND_1, tick=False)
def test_the_region_counts_the_units_still_missing(walk, personas):
    opened, _closed = urgency.entries_for(personas["reviewer"])
    assert titles(opened) == ["2023年社会工作主题宣传活动", "2022年社会工作主题宣传活动"]
    # 呼和浩特市 sent round 1 of 2022: 13 of the 14 units are still missing.
    assert opened[1].first.deadline.title == "第一次工作进展报送"
    assert opened[1].summary == "第一次工作进展报送：13 个单位未报（2022年3月24日截止）"


def test_a_reporter_sees_only_the_campaigns_of_its_unit(walk, personas, units):
    walk.new.participants.remove(units["150200"])
    opened, closed = urgency.entries_for(personas["other_reporter"])
    assert titles(opened + closed) == ["2022年社会工作主题宣传活动"]
