import csv
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError, transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.audit.services import record
from campaigndesk.campaigns import legacy
from campaigndesk.campaigns.cascade import bureau_cascade
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import CLOSED_MESSAGE, CampaignClosed
from campaigndesk.core import kept
from campaigndesk.core.concurrency import EditConflict
from campaigndesk.jobs.services import start_job
from campaigndesk.params import number_or_404, whole_number
from campaigndesk.security import masking
from campaigndesk.security.errors import BUSY, is_database_busy
from campaigndesk.units.permissions import (
    Action,
    allows,
    login_only,
    require,
    unit_or_404,
    visible_campaigns,
)

from . import exports, grid, paste, services, uploads
from .diff import diff_snapshots
from .models import Report, ReportStatus
from .table import COLUMNS


def _campaign_for(unit, campaign_pk: int):
    campaign = Campaign.objects.of_unit(unit, campaign_pk)
    if campaign is None:
        raise Http404
    # One query for the vocabulary: Campaign.vocabulary() reads the prefetched items, and
    # the grid, the reader and the tag index all ask for it.
    prefetch_related_objects([campaign], "vocabulary_items")
    return campaign


def _report_or_404(user, pk: int, action: Action = Action.VIEW_UNIT) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("deadline__campaign", "unit"), pk=pk)
    unit_or_404(user, action, pk=report.unit_id)
    return report


def _page_context(request, unit, campaign, report, grid_rows, tag_lists, submit_errors=None):
    earlier = (Report.objects.filter(unit=unit, deadline__campaign=campaign)
               .exclude(pk=getattr(report, "pk", None)).select_related("deadline")
               .order_by("deadline__due_at"))
    return {
        "unit": unit,
        "campaign": campaign,
        "report": report,
        "grid_columns": [(c.key, c.header) for c in COLUMNS]
        + [(key, str(title)) for key, _kind, title in grid.TAG_COLUMNS],
        "keys": grid.KEYS,
        "max_rows": grid.max_rows(),
        "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "tag_lists": tag_lists,
        "grid_rows": grid_rows,
        "grid_problems": grid.problems(grid_rows),
        # Drawn from a POST: the save did not happen, the grid holds unsaved input.
        "unsaved": request.method == "POST",
        # Unsaved input is kept in the browser per account, unit and round (keep.js).
        "keep_key": f"progress:{request.user.pk}:{unit.code}:{getattr(report, 'pk', '')}",
        # Earlier rounds count for what they sent (the last submitted version).
        "earlier": [(r, services.reported_round_totals(r)) for r in earlier],
        "can_edit": allows(request.user, Action.EDIT_UNIT_DATA, unit) and not campaign.is_closed,
        "submit_errors": submit_errors or {},
        "round_totals": services.round_totals(report) if report else None,
        "reporter": services.reporter_defaults(report) if report else ("", ""),
        # More than one while a round is sent back for correction: the page offers each.
        "rounds": services.editable_rounds(campaign, unit),
        "service_labels": uploads.read_context(campaign).service_areas,
        # A bureau with a cascade (issue 17): its counties' submitted rows of this round,
        # which its submission carries; None for every other unit.
        "forwarded": _forwarded(report) if report and report.pk and report.is_editable
        else None,
    }


def _forwarded(report) -> list | None:
    if bureau_cascade(report.deadline.campaign_id, report.unit) is None:
        return None
    return [services.row_from_json(item) for item in services.forwarded_rows(report)]


# Rows shown (read-only) on the grid page of a round over the grid's row limit.
OVER_LIMIT_PREVIEW_ROWS = 20


def _over_limit_page(request, unit, campaign, report, tag_lists, count: int):
    """A round with more rows than the grid takes: drawing them all made a 39 MB page that
    took a minute (two viewers stopped both workers). No editable grid (saving it would
    delete the rows not drawn); the first rows read-only, the totals, and the Excel way."""
    messages.warning(request, _(
        "本轮已有 %(count)s 条活动，超过网页表格的上限 %(limit)s 行，网页上不能修改："
        "请下载本轮 Excel，修改后上传导入") % {"count": count, "limit": grid.max_rows()})
    context = _page_context(request, unit, campaign, report, [], tag_lists)
    preview = report.activities.live().prefetch_related("tags").order_by("position")
    shown = [a.to_row() for a in preview[:OVER_LIMIT_PREVIEW_ROWS]]
    context |= {"over_limit": count, "preview": shown, "shown": len(shown),
                "xlsx": reverse("report_xlsx", kwargs={"pk": report.pk})}
    return render(request, "progress/unit_progress.html", context)


def _back(unit, campaign, report=None):
    """The grid of the same campaign (and round): every redirect stays where it came from."""
    url = reverse("campaign_unit_progress", kwargs={"campaign_pk": campaign.pk,
                                                   "code": unit.code})
    return redirect(f"{url}?round={report.pk}" if report is not None and report.pk else url)


def _chosen_round(request, rounds: list[Report]) -> Report | None:
    """The round asked for (?round= on the page, a hidden field in its form), when it is
    one the unit may edit; several are editable while one is sent back for correction."""
    wanted = request.POST.get("round") or request.GET.get("round") or ""
    return next((r for r in rounds if str(r.pk) == wanted.strip()), None)


@login_only
@require_GET
def unit_progress_latest(request, code: str):
    return legacy.redirect_to_campaign(request, code, "campaign_unit_progress")


@login_only
@require_http_methods(["GET", "POST"])
def unit_progress(request, campaign_pk: int, code: str):
    """The unit's grid for the open round, with the earlier rounds below it."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = _campaign_for(unit, campaign_pk)
    rounds = services.editable_rounds(campaign, unit)
    report = _chosen_round(request, rounds) or services.current_report(campaign, unit)
    tag_lists = grid.tag_lists(campaign)
    if request.method == "GET":
        count = grid.row_count(report) if report and report.pk else 0
        if count > grid.max_rows():  # imported from Excel, where there is no such limit
            return _over_limit_page(request, unit, campaign, report, tag_lists, count)
        rows = grid.rows_from_activities(report, tag_lists) if report else []
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, rows, tag_lists))
    unit_or_404(request.user, Action.EDIT_UNIT_DATA, pk=unit.pk)
    if campaign.is_closed:
        messages.error(request, str(CLOSED_MESSAGE))
        return _back(unit, campaign)
    if report is None:
        messages.error(request, _("各轮工作进展均已报送，如需修改请联系自治区管理员退回"))
        return _back(unit, campaign)
    parsed = grid.parse_post(request.POST, campaign, tag_lists)
    submit_errors = {}
    submitting = request.POST.get("action") == "submit"
    if submitting:
        submit_errors = grid.check_submit_fields(request.POST)
    # Rows with a wrong cell do not stop a draft: they are kept as typed (TypedRow). Only
    # a grid over the row limit, or a submission with a wrong 填报人 or 手机号码, is sent
    # back unsaved, as typed.
    if parsed.over_limit or submit_errors:
        messages.error(request, parsed.limit_message() if parsed.over_limit
                       else _("填报人或手机号码有误，请按下方提示修改；未保存任何内容"))
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists,
                                    submit_errors),
                      status=400)
    wrong = parsed.wrong_rows
    posted = whole_number(request.POST.get("revision"))
    if posted is None:
        # Without the revision the grid was opened at, a save could overwrite rows saved
        # or imported since: refuse rather than skip the check.
        messages.error(request, _("保存失败：页面缺少版本信息（可能已过期），未保存任何内容；"
                                  "请复制您填写的内容，刷新页面后再保存"))
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists),
                      status=409)
    try:
        with transaction.atomic():
            result = services.save_round(request.user, report, parsed.entries(),
                                         expected_revision=posted, whole_grid=True)
            if submitting and not wrong:
                version = services.submit_report(
                    request.user, report,
                    reporter_name=request.POST.get("reporter_name", ""),
                    reporter_phone=request.POST.get("reporter_phone", ""))
    except (services.ReportLocked, CampaignClosed) as exc:
        messages.error(request, str(exc))
        return _back(unit, campaign)
    except EditConflict as exc:
        # The grid as the user typed it stays on screen, with the new revision: saving
        # again after comparing is a deliberate overwrite.
        report.refresh_from_db()
        messages.error(request, "；".join(exc.messages))
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists),
                      status=409)
    except ValidationError as exc:
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists,
                                    exc.message_dict), status=400)
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        # Another writer held the database too long: the grid comes back as typed.
        report.refresh_from_db()
        messages.error(request, BUSY)
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists),
                      status=503)
    token = kept.keep_token(request)
    if submitting and not wrong:
        late = _("（逾期报送）") if version.is_late else ""
        messages.success(request, _("已报送%(title)s，第%(number)s版%(late)s") % {
            "title": report.deadline.title, "number": version.number, "late": late})
        return kept.saved(redirect("report_detail", pk=report.pk), token)
    for warning in parsed.warnings:
        messages.warning(request, warning)
    messages.success(request, services.draft_saved_message(result))
    if wrong and submitting:
        messages.error(request, services.typed_rows_message(wrong) + _("；本轮未报送"))
    elif wrong:
        messages.error(request, _("其中 %(count)s 行有错误，已按填写的原样保存为草稿并标红；"
                                  "改正后才能报送") % {"count": wrong})
    return kept.saved(_back(unit, campaign, report if len(rounds) > 1 else None), token)


PASTE_MAX_ROWS_FACTOR = 2  # a pasted block may hold its header, 合计 and blank rows too


@login_only
def grid_paste(request, campaign_pk: int, code: str):
    """Where the columns of a block pasted into the grid go (progress.paste): the page
    asks, then fills the grid; nothing is saved. Any refusal: the page pastes by place."""
    unit = unit_or_404(request.user, Action.EDIT_UNIT_DATA, code=code)
    _campaign_for(unit, campaign_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        block = paste.parse_tsv(request.POST.get("block", ""))
    except csv.Error:  # a cell past the csv module's field limit: pasted by place instead
        return JsonResponse({"error": _("粘贴的内容无法识别")}, status=400)
    if len(block) > PASTE_MAX_ROWS_FACTOR * grid.max_rows() + paste.HEADER_ROOM:
        return JsonResponse({"error": _("粘贴的行数过多")}, status=400)
    placed = paste.place(block, request.POST.get("start", ""))
    return JsonResponse({"rows": placed.rows, "notes": placed.notes,
                         "warnings": placed.warnings, "by_header": placed.by_header})


def _import_target(request, campaign_pk: int, code: str):
    """(unit, campaign) of an import, or the response refusing it."""
    unit = unit_or_404(request.user, Action.EDIT_UNIT_DATA, code=code)
    if request.method == "GET":
        # Reached by a link or after logging in again (the session had ended before 确认导入):
        # back to the grid with what to do, not a bare 405.
        messages.warning(request, _("导入预览已失效（可能因登录超时），未导入任何内容；"
                                    "请重新上传统计表"))
        return None, _back(unit, _campaign_for(unit, campaign_pk))
    if request.method != "POST":
        return None, HttpResponseNotAllowed(["POST"])
    campaign = _campaign_for(unit, campaign_pk)
    if campaign.is_closed:
        messages.error(request, str(CLOSED_MESSAGE))
        return None, _back(unit, campaign)
    return (unit, campaign), None


@login_only
def import_upload(request, campaign_pk: int, code: str):
    """Read an uploaded table and show what would be saved; nothing is saved yet."""
    target, refused = _import_target(request, campaign_pk, code)
    if refused:
        return refused
    unit, campaign = target
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的统计表文件（.xlsx、.xls、.ods 或 .csv）"))
        return _back(unit, campaign)
    try:
        pending = uploads.keep(request, upload, unit=unit, campaign=campaign)
        result = uploads.read(pending, campaign)
    except uploads.UploadRefused as exc:
        # Refused, crashed or timed-out reads are all audited, with the reader's reason.
        record(request.user, "progress.upload", unit, message=f"拒收上传：{exc}",
               changes={"file": Path(upload.name or "").name[:120], "size": upload.size,
                        "reason": exc.reason})
        messages.error(request, str(exc))
        return _back(unit, campaign)
    record(request.user, "progress.upload", unit, message="上传统计表待确认",
           changes={"file": pending.filename, "size": upload.size, "rows": len(result.rows)})
    return _preview(request, unit, campaign, result, pending)


def _preview(request, unit, campaign, result, pending, *, changed: bool = False):
    """The preview, with the revisions of the unit's rounds it was computed on: confirming
    checks them, so rows saved in the grid after the preview are not overwritten by it."""
    return render(request, "progress/import_preview.html", {
        "unit": unit, "campaign": campaign, "result": result, "pending": pending,
        "plan": uploads.plan(result, campaign, unit), "columns": COLUMNS,
        "revisions": services.revisions_of(campaign, unit), "changed": changed,
    })


@login_only
def import_confirm(request, campaign_pk: int, code: str):
    target, refused = _import_target(request, campaign_pk, code)
    if refused:
        return refused
    unit, campaign = target
    try:
        pending = uploads.pending(request, request.POST.get("token", ""), unit=unit,
                                  campaign=campaign)
        result = uploads.read(pending, campaign)
    except uploads.UploadRefused as exc:
        if exc.reason:  # the file read again failed (not merely an expired preview)
            record(request.user, "progress.upload", unit, message=f"拒收上传：{exc}",
                   changes={"file": pending.filename, "reason": exc.reason})
        messages.error(request, str(exc))
        return _back(unit, campaign)
    if result.errors:
        messages.error(request, _("文件中仍有错误，未导入；请修改后重新上传"))
        return _back(unit, campaign)
    if request.POST.get("revisions") != services.revisions_of(campaign, unit):
        # Someone saved the grid (or imported) after this preview was made: confirming it
        # would overwrite those rows unseen. The preview is made again on today's rows.
        return _preview(request, unit, campaign, result, pending, changed=True)
    saved = services.import_rows(
        request.user, campaign, unit, result.rows, reporter_name=result.reporter_name,
        reporter_phone=result.reporter_phone, filename=pending.filename)
    uploads.discard(request, pending)
    messages.success(request, _("已导入：新增 %(created)s 条，更新 %(updated)s 条，"
                                "与已有记录相同 %(unchanged)s 条") % {
        "created": saved.created, "updated": saved.updated, "unchanged": saved.unchanged})
    for note in saved.skipped:
        messages.warning(request, note)
    return _back(unit, campaign)


REPORT_PAGE_ROWS = 200


@login_only
@require_GET
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    versions = list(report.versions.select_related("submitted_by"))
    last = versions[-1] if versions else None
    campaign = report.deadline.campaign
    # A page at a time: a round may hold tens of thousands of rows (imported from Excel).
    page = Paginator(report.activities.live().prefetch_related("tags").order_by("position"),
                     REPORT_PAGE_ROWS).get_page(request.GET.get("page"))
    return render(request, "progress/report_detail.html", {
        "report": report,
        "campaign": campaign,
        "unit": report.unit,
        "versions": versions,
        "last": last,
        "reporter_phone": masking.phone_for(request.user, report.unit,
                                            last.snapshot["reporter_phone"]) if last else "",
        "reported_totals": services.reported_round_totals(report),
        "cumulative_totals": services.cumulative_totals(report),
        # A round being filled in or corrected: its working rows, shown apart.
        "draft_totals": services.round_totals(report) if report.is_editable else None,
        "typed_rows": report.typed_rows.count() if report.is_editable else 0,
        "activities": [a.to_row() for a in page],
        "page": page,
        "can_reopen": allows(request.user, Action.REOPEN_REPORT)
        and report.status == ReportStatus.SUBMITTED and not campaign.is_closed,
    })


@login_only
@require_GET
def report_version(request, pk: int, number: int):
    report = _report_or_404(request.user, pk)
    version = get_object_or_404(report.versions, number=number)
    rows = [services.row_from_json(item) for item in version.snapshot["activities"]]
    return render(request, "progress/report_version.html", {
        "report": report, "unit": report.unit, "version": version, "rows": rows,
        "campaign": report.deadline.campaign,
    })


@login_only
@require_GET
def report_diff(request, pk: int):
    report = _report_or_404(request.user, pk)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        # No versions chosen: the report page lists them with "compare" links.
        return redirect("report_detail", pk=report.pk)
    old = get_object_or_404(report.versions, number=a)
    new = get_object_or_404(report.versions, number=b)
    return render(request, "progress/report_diff.html", {
        "report": report, "unit": report.unit, "old": old, "new": new,
        "campaign": report.deadline.campaign,
        "diff": diff_snapshots(old.snapshot, new.snapshot),
    })


@login_only
def report_reopen(request, pk: int):
    report = _report_or_404(request.user, pk, Action.REOPEN_REPORT)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.reopen_report(request.user, report, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已退回%(unit)s的%(title)s，单位可修改后重新报送") % {
            "unit": report.unit, "title": report.deadline.title})
    return redirect("report_detail", pk=report.pk)


@login_only
@require_GET
def report_xlsx(request, pk: int):
    report = _report_or_404(request.user, pk)
    number = request.GET.get("v")
    version = (get_object_or_404(report.versions, number=number_or_404(number)) if number
               else None)
    return exports.report_response(request.user, report, version)


@login_only
@require_GET
def template_xlsx(request, pk: int | None = None):
    """The blank table (附件1); with a campaign, its own deadlines and contacts under it,
    for those who may open that campaign."""
    if pk is None:
        return exports.template_response()
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    return exports.template_response(campaign)


@require(Action.VIEW_OVERVIEW)
@require_GET
def campaign_progress(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(request, "progress/campaign_progress.html", {
        "campaign": campaign, "table": exports.round_table(campaign),
    })


@require(Action.VIEW_OVERVIEW)
@require_POST
def campaign_xlsx(request, pk: int):
    """Starts the consolidated workbook as a background job; its page shows the progress
    and offers the file."""
    campaign = get_object_or_404(Campaign, pk=pk)
    job = start_job(request.user, "progress.consolidated", campaign=campaign)
    return redirect("job_detail", pk=job.pk)

