"""The live demo: the 2022 campaign again, its dates moved so that today falls inside it.

The 2022 campaign stays exactly as the notice 内民政慈社〔2022〕3号 states it, so every one
of its deadlines is years past (逾期1706天). Beside it, this copy — titled
“<this year>年社会工作主题宣传活动（演示：日期已平移到今天）” — is moved by whole days, so
that deadlines keep their 17:00 and the second progress deadline is the first 17:00 at least
two hours ahead. A newcomer then sees every state at once:

- 第一次工作进展报送 (past): 呼和浩特市, 赤峰市 and 二连浩特市 on time, 乌海市 late, the
  other ten 逾期未报 — the late notice after a deadline is due for them;
- 第二次工作进展报送 (hours ahead): 赤峰市 and 二连浩特市 already in, 呼和浩特市 with a
  draft, the others still open with time left — the 24-hour reminder is due (unless the
  demo was loaded between 15:00 and 17:00, which leaves just over 24 hours);
- 活动总结报送: a few days ahead.

The first deadline cannot be both ahead and missed late, so the past round is the first one.
Dates come from "now" when the demo is loaded (by `make run`, once); reports go through the
real services, so versions and audit entries exist as for any report.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign

LIVE_SUFFIX = "（演示：日期已平移到今天）"
SECOND_ROUND_DAY = date(2022, 3, 31)  # 第二次工作进展报送, 17:00 (附件1: 3月24日、31日下午17:00前)
DUE_HOUR = 17
MIN_LEAD = timedelta(hours=2)
NOTE = (
    "【演示】本活动是内民政慈社〔2022〕3号通知的演示副本：所有日期整体推后 {days} 天"
    "（{loaded} 加载），使今天落在活动期间，便于查看倒计时、按时报送、逾期报送和报送提醒。"
    "通知原文和2022年的实际日期见“2022年社会工作主题宣传活动”。"
)


def shift_days(now: datetime) -> int:
    """Whole days from 2022 that put the second progress deadline (17:00 Beijing time) at
    the first 17:00 at least two hours after `now`."""
    local = timezone.localtime(now)
    due = local.replace(hour=DUE_HOUR, minute=0, second=0, microsecond=0)
    if due - local < MIN_LEAD:
        due += timedelta(days=1)
    return (due.date() - SECOND_ROUND_DAY).days


def live_title(now: datetime) -> str:
    return f"{timezone.localdate(now).year}年社会工作主题宣传活动{LIVE_SUFFIX}"


def live_campaign() -> Campaign | None:
    return Campaign.objects.filter(title__endswith=LIVE_SUFFIX).first()


def load_live_demo(source: Campaign, *, now: datetime) -> Campaign:
    """The live copy of `source` (the 2022 demo campaign) with its sample reports."""
    from campaigndesk.campaigns.services import ContactData, DeadlineData, create_campaign
    from campaigndesk.progress.demo import (
        FIRST_WEEK,
        LIVE_FIRST_WEEK,
        SECOND_WEEK,
        load_demo_progress,
    )

    days = shift_days(now)
    shift = timedelta(days=days)
    vocabulary: dict[str, list[str]] = {}
    for item in source.vocabulary_items.all():
        vocabulary.setdefault(item.kind, []).append(item.label)
    note = NOTE.format(days=days, loaded=timezone.localtime(now).strftime("%Y-%m-%d %H:%M"))
    campaign = create_campaign(
        None,
        fields={
            "year": timezone.localdate(now).year,
            "title": live_title(now),
            "document_number": "",
            "slogan": source.slogan,
            "start_date": source.start_date + shift,
            "end_date": source.end_date + shift,
            "notice_text": f"{note}\n\n{source.notice_text}",
            "min_photos": source.min_photos,
            "brief_length": source.brief_length,
            "brief_min_length": source.brief_min_length,
            "brief_max_length": source.brief_max_length,
        },
        participants=source.participants.all(),
        vocabulary=vocabulary,
        contacts=[ContactData(c.name, c.office, c.phone, c.email)
                  for c in source.contacts.all()],
        # Whole days: each deadline keeps its hour (Beijing time has no summer time).
        deadlines=[DeadlineData(d.kind, d.title, d.due_at + shift)
                   for d in source.deadlines.all()],
    )
    for reports in (FIRST_WEEK, LIVE_FIRST_WEEK, SECOND_WEEK):
        load_demo_progress(campaign, reports, days=days)
    from campaigndesk.cascade.demo import load_demo_cascade

    load_demo_cascade(campaign, days=days)  # 呼和浩特市 with 新城区 and 回民区 (issue 17)
    record(None, "demo.load", campaign, message=f"加载演示数据（日期平移 {days} 天）")
    return campaign
