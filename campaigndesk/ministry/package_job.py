"""The region's package for 民政部 as a background job (campaigndesk.jobs, issue 17 point 4):
a campaign's recommended briefs with their photos are too many megabytes to zip inside a
request."""

from typing import IO

from django.utils import timezone

from campaigndesk.jobs.registry import Result, Step

from .export import export_package

PACKAGE = "ministry.package"


def run_package_job(job, out: IO[bytes], step: Step) -> Result:
    campaign = job.campaign

    def progress(done: int, total: int, text: str) -> None:
        # build_package counts the pieces it has written; the job's page wants a percent.
        step(100 * done / total, f"已完成{done}/{total}项：{text}")

    step(0, "正在读取推荐至民政部的稿件")
    out.write(export_package(job.requested_by, campaign, progress=progress))
    return Result(f"{campaign.title}-推荐至民政部-{timezone.localdate():%Y%m%d}.zip")
