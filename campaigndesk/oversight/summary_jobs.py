"""The campaign summary's long work as background jobs (campaigndesk.jobs): the one-click
.docx draft (the dashboard's sums and four charts) and every unit's summary in one .zip."""

from typing import IO

from campaigndesk.audit.services import record
from campaigndesk.jobs.registry import Result, Step

from . import draft, summary_zip

DRAFT = "oversight.summary_draft"
ZIP = "oversight.summaries_zip"


def run_draft_job(job, out: IO[bytes], step: Step) -> Result:
    campaign = job.campaign
    out.write(draft.build_draft(campaign, step))
    record(job.requested_by, "summary.draft", campaign, message="生成活动总结草稿（Word）")
    return Result(f"{campaign.title}总结（草稿）.docx")


def run_zip_job(job, out: IO[bytes], step: Step) -> Result:
    campaign = job.campaign
    count = summary_zip.write(campaign, out, step)
    record(job.requested_by, "summary.export", campaign, changes={"summaries": count},
           message="生成全部活动总结（zip）")
    return Result(f"{campaign.title}-各单位活动总结.zip", f"共{count}份总结")
