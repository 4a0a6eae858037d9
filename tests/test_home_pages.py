"""What each user sees first: the reporter's unit page and the region's overview."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from campaigndesk.campaigns.models import Submission
from campaigndesk.campaigns.status import State, format_duration, unit_statuses

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def submit(demo, unit, user, index, when):
    deadline = list(demo.deadlines.all())[index]
    return Submission.objects.create(deadline=deadline, unit=unit, submitted_by=user,
                                     submitted_at=when)


def test_duration_in_words():
    assert format_duration(timedelta(minutes=45)) == "45分钟"
    assert format_duration(timedelta(hours=2)) == "2小时"
    assert format_duration(timedelta(hours=26, minutes=5)) == "1天2小时"
    assert format_duration(timedelta(days=3)) == "3天"


def test_deadline_states_one_minute_either_side_of_17_00(demo, units, personas):
    unit = units["150100"]
    first = list(demo.deadlines.all())[0]
    assert first.due_at == beijing(2022, 3, 24, 17, 0)
    before = unit_statuses(demo, unit, now=beijing(2022, 3, 24, 16, 59))[0]
    assert before.state == State.OPEN and before.detail == "剩余1分钟"
    after = unit_statuses(demo, unit, now=beijing(2022, 3, 24, 17, 1))[0]
    assert after.state == State.MISSING and after.detail == "已逾期1分钟"
    # 09:00 UTC is 17:00 in Beijing: the same instant, whatever zone it is written in.
    utc_nine = datetime(2022, 3, 24, 9, 0, tzinfo=ZoneInfo("UTC"))
    submit(demo, unit, personas["reporter"], 0, utc_nine)
    on_the_minute = unit_statuses(demo, unit, now=beijing(2022, 3, 25, 9, 0))[0]
    assert on_the_minute.state == State.ON_TIME


def test_late_submission_shows_the_delay(demo, units, personas):
    unit = units["150200"]
    submit(demo, unit, personas["other_reporter"], 0, beijing(2022, 3, 24, 19, 30))
    status = unit_statuses(demo, unit, now=beijing(2022, 3, 26, 9, 0))[0]
    assert status.state == State.LATE
    assert status.detail == "迟报2小时30分钟"


@time_machine.travel(beijing(2022, 3, 24, 15, 0), tick=False)
def test_reporter_lands_on_the_unit_page_with_time_left(demo, personas, client):
    response = client.post("/login/", {"username": "150100", "password": "Demo#2022"},
                           follow=True)
    # With one campaign, home goes straight to the unit's page of that campaign.
    assert response.redirect_chain[-1][0] == f"/campaigns/{demo.pk}/units/150100/"
    page = response.content.decode()
    assert "呼和浩特市" in page
    assert "2022年3月24日 17:00" in page
    assert "剩余2小时" in page
    assert "第一次工作进展报送" in page and "活动总结报送" in page
    assert "还需报送" in page


@time_machine.travel(beijing(2022, 3, 25, 10, 0), tick=False)
def test_region_user_lands_on_the_overview_with_all_14_units(demo, units, personas, client):
    submit(demo, units["150100"], personas["reporter"], 0, beijing(2022, 3, 24, 16, 0))
    submit(demo, units["150781"], personas["manzhouli"], 0, beijing(2022, 3, 24, 18, 0))
    response = client.post("/login/", {"username": "region-admin", "password": "Demo#2022"},
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/campaigns/{demo.pk}/"
    rows = response.context["rows"]
    assert len(rows) == 14
    names = [unit.name for unit, _ in rows]
    assert "满洲里市" in names and "二连浩特市" in names
    states = {unit.code: statuses[0].state for unit, statuses in rows}
    assert states["150100"] == State.ON_TIME
    assert states["150781"] == State.LATE
    assert states["150200"] == State.MISSING
    page = response.content.decode()
    assert "已报送 2 / 14 个单位" in page
    assert "位于呼伦贝尔市，直接报送" in page


def test_auditor_lands_on_the_audit_log(personas, as_user):
    response = as_user(personas["auditor"]).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/audit/"
