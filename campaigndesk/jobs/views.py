"""A job's page (progress bar, polled by htmx), its status fragment, its file, and the list
of one's own jobs. Views only: starting a job is the domain app's view calling
services.start_job."""

from datetime import timedelta

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from campaigndesk.audit.services import record
from campaigndesk.units.permissions import login_only, may_see_job

from . import files, registry, services
from .models import Job, JobState

CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "zip": "application/zip"}


def job_or_404(user, pk: int) -> Job:
    """Someone else's job is answered like a job that does not exist."""
    job = Job.objects.select_related("unit", "campaign").filter(pk=pk).first()
    if job is None or not may_see_job(user, job, registry.get(job.kind).action):
        raise Http404
    return job


def _context(job: Job) -> dict:
    kind = registry.get(job.kind)
    return {"job": job, "label": kind.label, "back": kind.back(job) if kind.back else "",
            "expired": services.expired(job), "keep_hours": services.keep_hours(),
            "finished": job.state in {JobState.DONE, JobState.FAILED}}


@login_only
@require_GET
def job_detail(request, pk: int):
    job = job_or_404(request.user, pk)
    return render(request, "jobs/job.html", _context(job))


@login_only
@require_GET
def job_status(request, pk: int):
    job = job_or_404(request.user, pk)
    return render(request, "jobs/_status.html", _context(job))


@login_only
@require_GET
def job_download(request, pk: int):
    job = job_or_404(request.user, pk)
    if job.state != JobState.DONE or services.expired(job):
        raise Http404
    handle = open(files.path_for(job.result_path), "rb")
    record(request.user, "jobs.download", job, message=f"下载{job.filename}")
    suffix = job.filename.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(suffix,
                                                                   "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    return response


@login_only
@require_GET
def job_list(request):
    since = timezone.now() - timedelta(hours=services.keep_hours())
    jobs = [job for job in Job.objects.filter(requested_by=request.user, created_at__gte=since)
            .select_related("unit", "campaign")[:50]
            if may_see_job(request.user, job, registry.get(job.kind).action)]
    return render(request, "jobs/list.html", {
        "jobs": [(job, registry.label(job.kind), services.expired(job)) for job in jobs],
        "keep_hours": services.keep_hours()})
