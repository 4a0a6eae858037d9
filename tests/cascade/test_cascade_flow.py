"""Issue 17 point 1 as users check it: a county's submitted rows reach the bureau's report
with their origin, drafts never; the internal deadline is before the region's; a county's
brief goes through its bureau."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from campaigndesk.articles import services as articles
from campaigndesk.articles.models import State
from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.cascade import open_cascade
from campaigndesk.progress import services
from campaigndesk.progress.reported import reported
from campaigndesk.progress.table import ActivityRow
from tests.cascade.matrix import county_brief, open_demo_cascade

pytestmark = pytest.mark.django_db


def _send(user, campaign, unit, names, submit=True):
    report = services.current_report(campaign, unit)
    services.save_round(user, report, [(None, ActivityRow(name=n, participants=10))
                                       for n in names])
    if submit:
        services.submit_report(user, report, reporter_name="李明", reporter_phone="13800001234")
    return report


def test_internal_deadline_must_be_before_the_regions(demo, units, personas):
    deadline = demo.deadlines.first()
    with pytest.raises(ValidationError) as refused:
        open_cascade(personas["reporter"], demo, units["150100"], members=[units["150100-01"]],
                     dues={d.pk: d.due_at + timedelta(hours=1) for d in demo.deadlines.all()})
    assert f"“{deadline.title}”的内部截止时间必须早于自治区的截止时间" in str(refused.value)


def test_county_rows_reach_the_bureau_report_with_origin_and_drafts_never(demo, units,
                                                                            personas):
    people = open_demo_cascade(demo, units, personas["reporter"])
    from campaigndesk.units import accounts

    other = accounts.create_account(None, username="150100-02", password="County#2022x",
                                    role="reporter", unit=units["150100-02"])
    from campaigndesk.campaigns.models import Cascade

    Cascade.objects.get().members.add(units["150100-02"])
    _send(people["county_reporter"], demo, units["150100-01"], ["新城区开放日"])
    _send(other, demo, units["150100-02"], ["回民区草稿"], submit=False)
    # Before the bureau sends, the region counts nothing of the county.
    assert not reported(demo).filter(name="新城区开放日").exists()
    report = _send(personas["reporter"], demo, units["150100"], ["呼和浩特市自己的活动"])
    rows = {r.name: r for r in reported(demo).filter(unit=units["150100"])}
    assert set(rows) == {"呼和浩特市自己的活动", "新城区开放日"}
    assert rows["新城区开放日"].origin == units["150100-01"]
    assert rows["呼和浩特市自己的活动"].origin is None
    # Counted once by the region: the county's own copy is the bureau's, not the region's.
    assert reported(demo).filter(name="新城区开放日").count() == 1
    version = report.versions.get()
    assert [a.get("origin", {}).get("name") for a in version.snapshot["activities"]] == [
        None, "新城区"]
    assert AuditEntry.objects.filter(action="cascade.open").exists()


def test_county_brief_goes_through_its_bureau(demo, units, personas):
    people = open_demo_cascade(demo, units, personas["reporter"])
    brief = county_brief(demo, units, people["county_reporter"])
    with pytest.raises(articles.TransitionRefused):
        articles.bureau_return_article(people["league_reviewer"], brief, reason="")
    articles.bureau_return_article(people["league_reviewer"], brief, reason="请补充地点")
    brief.refresh_from_db()
    assert brief.state == State.RETURNED
    brief.state = State.FOR_BUREAU
    brief.save()
    articles.forward_article(people["league_reviewer"], brief)
    brief.refresh_from_db()
    assert brief.state == State.SUBMITTED
    assert list(AuditEntry.objects.filter(action__in=["article.bureau_return",
                                                      "article.forward"])
                .order_by("pk").values_list("action", flat=True)) == ["article.bureau_return",
                                                       "article.forward"]
