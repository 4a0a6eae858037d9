"""Mail intake's fetch as a background job: pressed on the intake page (立即收取), or
started by the job worker every MAIL_INTAKE_FETCH_MINUTES (no cron line needed). A fetch of
500 mails is minutes of IMAP, never a request; a run and a concurrent one are safe
(intake.filing takes each message once)."""

from typing import IO

from django.conf import settings

from campaigndesk.jobs.models import Job, JobState
from campaigndesk.jobs.registry import Result, Step

from . import filing

KIND = "intake.fetch"
NOT_CONFIGURED = "未配置厅报送邮箱（MAIL_INTAKE_URL），没有读取任何邮件"


def every() -> int | None:
    return settings.MAIL_INTAKE_FETCH_MINUTES if settings.MAIL_INTAKE else None


def run_fetch_job(job, out: IO[bytes], step: Step) -> Result:
    if not settings.MAIL_INTAKE:
        raise ValueError(NOT_CONFIGURED)
    # A MailboxError (wrong password, no IMAP) fails the job with its Chinese reason.
    return Result(None, filing.run(step=step).text())


def last_fetch() -> Job | None:
    """The latest finished fetch, whoever started it: the intake page says when the mailbox
    was last read and, when it failed, why (the periodic run has nobody to tell otherwise)."""
    return Job.objects.filter(kind=KIND, state__in=[JobState.DONE, JobState.FAILED]).order_by(
        "-finished_at").first()
