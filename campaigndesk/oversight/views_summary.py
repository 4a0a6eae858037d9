"""Final summaries: the unit's page, a version, its file, the region's list and the draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, Submission
from campaigndesk.campaigns.services import CLOSED_MESSAGE
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.jobs.services import start_job
from campaigndesk.units.permissions import Action, allows, login_only, require, unit_or_404

from . import summaries, summary_jobs
from .models import FinalSummary, FinalSummaryVersion

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
}


@login_only
@require_http_methods(["GET", "POST"])
def unit_summary(request, campaign_pk: int, code: str):
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = get_object_or_404(Campaign, pk=campaign_pk, participants=unit)
    deadlines = summaries.summary_deadlines(campaign)
    if not deadlines:
        raise Http404
    chosen = next((d for d in deadlines if str(d.pk) == request.POST.get("deadline")),
                  deadlines[0])
    may_edit = allows(request.user, Action.EDIT_UNIT_DATA, unit)
    # Late summaries are taken until the campaign is closed.
    can_edit = may_edit and not campaign.is_closed
    error = ""
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if campaign.is_closed:
            messages.error(request, str(CLOSED_MESSAGE))
            return redirect("unit_summary", campaign_pk=campaign.pk, code=unit.code)
        upload = request.FILES.get("file")
        try:
            version = summaries.submit_summary(
                request.user, chosen, unit, text=request.POST.get("text", ""),
                upload=summaries.Upload(upload.name, upload.read()) if upload else None)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            note = _("（逾期报送）") if version.is_late else ""
            messages.success(request, _("已报送活动总结第%(number)s版%(note)s") % {
                "number": version.number, "note": note})
            return redirect("unit_summary", campaign_pk=campaign.pk, code=unit.code)
    now = timezone.now()
    blocks = []
    for deadline in deadlines:
        submission = Submission.objects.filter(deadline=deadline, unit=unit).first()
        summary = FinalSummary.objects.filter(deadline=deadline, unit=unit).first()
        versions = list(summary.versions.select_related("submitted_by")
                        .order_by("-number")) if summary else []
        blocks.append((DeadlineStatus(deadline, unit, submission, now), versions))
    latest = blocks[0][1][0] if blocks[0][1] else None
    return render(request, "oversight/unit_summary.html", {
        "unit": unit, "campaign": campaign, "blocks": blocks, "can_edit": can_edit,
        "error": error, "text": request.POST.get("text", latest.text if latest else ""),
        "max_mb": summaries.MAX_FILE_BYTES // 1024 // 1024,
    })


def _version_or_404(user, pk: int) -> FinalSummaryVersion:
    version = get_object_or_404(FinalSummaryVersion.objects.select_related(
        "summary__deadline__campaign", "summary__unit", "submitted_by"), pk=pk)
    unit_or_404(user, Action.VIEW_UNIT, pk=version.summary.unit_id)
    return version


@login_only
@require_GET
def summary_version(request, pk: int):
    version = _version_or_404(request.user, pk)
    return render(request, "oversight/summary_version.html", {
        "version": version, "summary": version.summary, "unit": version.summary.unit,
        "campaign": version.summary.deadline.campaign})


@login_only
@require_GET
def summary_file(request, pk: int):
    version = _version_or_404(request.user, pk)
    path = summaries.file_path(version) if version.file_key else None
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[version.file_kind])
    name = (f"{version.summary.unit.name}-{version.summary.deadline.title}-"
            f"第{version.number}版.{version.file_kind}")
    response["Content-Disposition"] = content_disposition_header(True, name)
    record(request.user, "summary.download", version.summary,
           changes={"version": version.number, "file": version.original_name})
    return response


@require(Action.VIEW_OVERVIEW)
@require_GET
def campaign_summaries(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    deadlines = summaries.summary_deadlines(campaign)
    now = timezone.now()
    submissions = {(s.unit_id, s.deadline_id): s for s in Submission.objects.filter(
        deadline__in=deadlines).select_related("deadline")}
    latest = {}
    for version in (FinalSummaryVersion.objects.filter(summary__deadline__in=deadlines)
                    .select_related("summary").defer("text").order_by("number")):
        latest[(version.summary.unit_id, version.summary.deadline_id)] = version
    rows = [(unit, [(DeadlineStatus(d, unit, submissions.get((unit.pk, d.pk)), now),
                     latest.get((unit.pk, d.pk))) for d in deadlines])
            for unit in campaign.participants.order_by("code")]
    return render(request, "oversight/campaign_summaries.html", {
        "campaign": campaign, "deadlines": deadlines, "rows": rows})


@require(Action.VIEW_OVERVIEW)
@require_POST
def summary_draft(request, pk: int):
    """Starts the draft as a background job; its page shows the progress and offers it."""
    campaign = get_object_or_404(Campaign, pk=pk)
    job = start_job(request.user, summary_jobs.DRAFT, campaign=campaign)
    return redirect("job_detail", pk=job.pk)


@require(Action.VIEW_OVERVIEW)
@require_POST
def summaries_zip(request, pk: int):
    """Starts every unit's latest final summary in one .zip (with a list of who sent what)
    as a background job."""
    campaign = get_object_or_404(Campaign, pk=pk)
    job = start_job(request.user, summary_jobs.ZIP, campaign=campaign)
    return redirect("job_detail", pk=job.pk)
