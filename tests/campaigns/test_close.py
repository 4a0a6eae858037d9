"""Closing a campaign: a region administrator only, with a logged reason; afterwards every
write service of the campaign refuses (services.ensure_open), until it is reopened.

Before it is closed an older campaign still takes late reports, briefs and summaries, even
after a newer one was copied from it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigndesk.articles import services as articles
from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign, Submission
from campaigndesk.campaigns.services import (
    CampaignClosed,
    close_campaign,
    ensure_open,
    reopen_campaign,
    update_campaign,
)
from campaigndesk.oversight import manual, reminders, summaries
from campaigndesk.progress import services as progress
from campaigndesk.progress.models import Report, ReportStatus
from tests.test_progress_services import row

CLOSED = "本次活动已结束（已关闭），不能再修改"


def changes() -> int:
    return AuditEntry.objects.exclude(action__startswith="auth.").count()


def test_late_report_brief_and_summary_to_the_older_campaign_after_a_copy(walk, personas):
    reporter = personas["reporter"]
    version = progress.submit_report(reporter, walk.second, reporter_name="王芳",
                                     reporter_phone="13800001234")
    assert version.is_late and version.report.deadline.campaign == walk.old
    assert Submission.objects.get(deadline=walk.second.deadline, unit=walk.unit).is_late
    brief = articles.create_article(reporter, campaign=walk.old, unit=walk.unit,
                                    title="补报的稿件", body="正文")
    assert brief.campaign == walk.old
    deadline = walk.old.deadlines.get(kind="summary")
    summary = summaries.submit_summary(reporter, deadline, walk.unit, text="2022年活动总结")
    assert summary.is_late
    # The copy received none of it.
    assert not Submission.objects.filter(deadline__campaign=walk.new).exists()
    assert not Report.objects.filter(deadline__campaign=walk.new).exists()


def test_only_a_region_administrator_closes_with_a_reason(walk, personas):
    for persona in ("reviewer", "reporter", "auditor", "security_admin"):
        with pytest.raises(PermissionDenied):
            close_campaign(personas[persona], walk.old, "活动结束")
    with pytest.raises(ValidationError) as caught:
        close_campaign(personas["region_admin"], walk.old, "  ")
    assert caught.value.messages == ["请填写关闭原因"]
    assert not Campaign.objects.get(pk=walk.old.pk).is_closed
    closed = close_campaign(personas["region_admin"], walk.old, "活动结束，材料已归档")
    assert closed.is_closed and closed.closed_by == personas["region_admin"]
    entry = AuditEntry.objects.get(action="campaign.close")
    assert entry.object_id == str(walk.old.pk) and entry.message == "活动结束，材料已归档"
    with pytest.raises(ValidationError):
        close_campaign(personas["region_admin"], walk.old, "再关一次")
    assert not Campaign.objects.get(pk=walk.new.pk).is_closed  # the other year is untouched


def test_a_closed_campaign_refuses_every_write_service(walk, personas):
    reporter, admin, reviewer = personas["reporter"], personas["region_admin"], personas["reviewer"]
    brief = articles.create_article(reporter, campaign=walk.old, unit=walk.unit, title="稿件",
                                    body="正文")
    close_campaign(admin, walk.old, "活动结束")
    before = changes()
    summary = walk.old.deadlines.get(kind="summary")
    writes = {
        "save_round": lambda: progress.save_round(reporter, walk.second, [(None, row("新"))]),
        "import_rows": lambda: progress.import_rows(reporter, walk.old, walk.unit, [row("新")]),
        "submit_report": lambda: progress.submit_report(
            reporter, walk.second, reporter_name="王芳", reporter_phone="13800001234"),
        "reopen_report": lambda: progress.reopen_report(admin, walk.first, reason="更正"),
        "create_article": lambda: articles.create_article(
            reporter, campaign=walk.old, unit=walk.unit, title="新稿件", body="正文"),
        "update_draft": lambda: articles.update_draft(reporter, brief, title="改"),
        "delete_article": lambda: articles.delete_article(reporter, brief, reason="重复"),
        "submit_article": lambda: articles.submit_article(reporter, brief),
        "add_comment": lambda: articles.add_comment(reviewer, brief, start=0, end=1, text="意见"),
        "submit_summary": lambda: summaries.submit_summary(reporter, summary, walk.unit,
                                                           text="总结"),
        "update_campaign": lambda: update_campaign(
            admin, walk.old, fields={"slogan": "改"}, participants=[], vocabulary={},
            contacts=[], deadlines=[]),
        "remind_now": lambda: manual.remind_now(reviewer, summary),
        "save_settings": lambda: reminders.save_settings(admin, walk.old, offsets=[],
                                                         send_late=False, send_sms=False),
    }
    for name, write in writes.items():
        with pytest.raises(CampaignClosed) as caught:
            write()
        assert str(caught.value) == CLOSED, name
    assert changes() == before
    assert Report.objects.get(pk=walk.second.pk).status == ReportStatus.DRAFT
    assert walk.second.activities.live().get().name == "第二轮草稿活动"
    # The 2023 copy goes on as before.
    ensure_open(walk.new)
    progress.save_round(reporter, progress.current_report(walk.new, walk.unit),
                        [(None, row("2023年的活动"))])


def test_the_guard_reads_the_database_not_a_stale_object(walk, personas):
    stale = Campaign.objects.get(pk=walk.old.pk)
    close_campaign(personas["region_admin"], walk.old, "活动结束")
    assert not stale.is_closed
    with pytest.raises(CampaignClosed):
        ensure_open(stale)


def test_reopening_lets_the_late_report_through(walk, personas):
    admin = personas["region_admin"]
    close_campaign(admin, walk.old, "活动结束")
    with pytest.raises(PermissionDenied):
        reopen_campaign(personas["reviewer"], walk.old, "还有单位要补报")
    with pytest.raises(ValidationError):
        reopen_campaign(admin, walk.old, "")
    reopened = reopen_campaign(admin, walk.old, "呼和浩特市申请补报第二轮")
    assert not reopened.is_closed and reopened.closed_by is None
    assert AuditEntry.objects.get(action="campaign.reopen").message == "呼和浩特市申请补报第二轮"
    version = progress.submit_report(personas["reporter"], walk.second, reporter_name="王芳",
                                     reporter_phone="13800001234")
    assert version.is_late


def test_a_closed_campaign_sends_no_reminders(walk, personas, settings):
    from datetime import timedelta

    import time_machine

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = walk.old.deadlines.get(kind="summary").due_at
    with time_machine.travel(due - timedelta(hours=1), tick=False):
        close_campaign(personas["region_admin"], walk.old, "提前结束")
        assert not reminders.send_due()
        reopen_campaign(personas["region_admin"], walk.old, "继续")
        assert reminders.send_due()  # the same run sends once the campaign is open
