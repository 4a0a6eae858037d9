from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.security.concurrency import EditConflict
from campaigndesk.units.permissions import Action, allows, login_only, require, unit_or_404

from . import exports, grid, services, uploads
from .diff import diff_snapshots
from .models import Report, ReportStatus
from .table import COLUMNS


def _campaign_for(unit, campaign_pk=None):
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
        "tag_lists": tag_lists,
        "grid_rows": grid_rows,
        "earlier": [(r, services.round_totals(r)) for r in earlier],
        "can_edit": allows(request.user, Action.EDIT_UNIT_DATA, unit),
        "submit_errors": submit_errors or {},
        "round_totals": services.round_totals(report) if report else None,
        "service_labels": uploads.read_context(campaign).service_areas,
    }


@login_only
@require_http_methods(["GET", "POST"])
def unit_progress(request, code: str, campaign_pk: int | None = None):
    """The unit's grid for the open round, with the earlier rounds below it."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = _campaign_for(unit, campaign_pk)
    report = services.current_report(campaign, unit)
    tag_lists = grid.tag_lists(campaign)
    if request.method == "GET":
        rows = grid.rows_from_activities(report, tag_lists) if report else []
        if len(rows) > grid.max_rows():  # imported from Excel, where there is no such limit
            messages.warning(request, _(
                "本轮已有 %(count)s 条活动，超过网页表格一次保存的上限 %(limit)s 行："
                "请上传 Excel 文件修改，网页上的修改无法保存") % {
                "count": len(rows), "limit": grid.max_rows()})
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, rows, tag_lists))
    unit_or_404(request.user, Action.EDIT_UNIT_DATA, pk=unit.pk)
    if report is None:
        messages.error(request, _("各轮工作进展均已报送，如需修改请联系自治区管理员退回"))
        return redirect("unit_progress", code=unit.code)
    parsed = grid.parse_post(request.POST, campaign, tag_lists)
    submit_errors = {}
    submitting = request.POST.get("action") == "submit"
    if submitting:
        submit_errors = grid.check_submit_fields(request.POST)
    if parsed.has_errors or submit_errors:
        messages.error(request, parsed.limit_message() if parsed.over_limit
                       else _("有单元格需要修改，已标红；未保存任何内容") if parsed.has_errors
                       else _("填报人或手机号码有误，请按下方提示修改；未保存任何内容"))
        return render(request, "progress/unit_progress.html",
                      _page_context(request, unit, campaign, report, parsed.rows, tag_lists,
                                    submit_errors),
                      status=400)
    posted = request.POST.get("revision", "")
    try:
        with transaction.atomic():
            result = services.save_round(request.user, report, parsed.to_save(),
                                         expected_revision=int(posted) if posted.isdigit()
                                         else None)
            if submitting:
                version = services.submit_report(
                    request.user, report,
                    reporter_name=request.POST.get("reporter_name", ""),
                    reporter_phone=request.POST.get("reporter_phone", ""))
    except services.ReportLocked as exc:
        messages.error(request, str(exc))
        return redirect("unit_progress", code=unit.code)
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
    if submitting:
        late = _("（逾期报送）") if version.is_late else ""
        messages.success(request, _("已报送%(title)s，第%(number)s版%(late)s") % {
            "title": report.deadline.title, "number": version.number, "late": late})
        return redirect("report_detail", pk=report.pk)
    for warning in parsed.warnings:
        messages.warning(request, warning)
    messages.success(request, _("草稿已保存：新增 %(created)s 条，修改 %(updated)s 条，"
                                "删除 %(deleted)s 条") % {
        "created": result.created, "updated": result.updated, "deleted": result.deleted})
    return redirect("unit_progress", code=unit.code)


@login_only
def import_upload(request, code: str):
    """Read an uploaded table and show what would be saved; nothing is saved yet."""
    unit = unit_or_404(request.user, Action.EDIT_UNIT_DATA, code=code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    campaign = _campaign_for(unit)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 Excel 文件（.xlsx、.xls 或 .ods）"))
        return redirect("unit_progress", code=unit.code)
    try:
        pending = uploads.keep(request, upload, unit=unit, campaign=campaign)
        result = uploads.read(pending, campaign)
    except uploads.UploadRefused as exc:
        # Refused, crashed or timed-out reads are all audited, with the reader's reason.
        record(request.user, "progress.upload", unit, message=f"拒收上传：{exc}",
               changes={"file": Path(upload.name or "").name[:120], "size": upload.size,
                        "reason": exc.reason})
        messages.error(request, str(exc))
        return redirect("unit_progress", code=unit.code)
    record(request.user, "progress.upload", unit, message="上传统计表待确认",
           changes={"file": pending.filename, "size": upload.size, "rows": len(result.rows)})
    plan = uploads.plan(result, campaign, unit)
    return render(request, "progress/import_preview.html", {
        "unit": unit, "campaign": campaign, "result": result, "pending": pending,
        "plan": plan, "columns": COLUMNS,
    })


@login_only
def import_confirm(request, code: str):
    unit = unit_or_404(request.user, Action.EDIT_UNIT_DATA, code=code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    campaign = _campaign_for(unit)
    try:
        pending = uploads.pending(request, request.POST.get("token", ""), unit=unit,
                                  campaign=campaign)
        result = uploads.read(pending, campaign)
    except uploads.UploadRefused as exc:
        if exc.reason:  # the file read again failed (not merely an expired preview)
            record(request.user, "progress.upload", unit, message=f"拒收上传：{exc}",
                   changes={"file": pending.filename, "reason": exc.reason})
        messages.error(request, str(exc))
        return redirect("unit_progress", code=unit.code)
    if result.errors:
        messages.error(request, _("文件中仍有错误，未导入；请修改后重新上传"))
        return redirect("unit_progress", code=unit.code)
    saved = services.import_rows(
        request.user, campaign, unit, result.rows, reporter_name=result.reporter_name,
        reporter_phone=result.reporter_phone, filename=pending.filename)
    uploads.discard(request, pending)
    messages.success(request, _("已导入：新增 %(created)s 条，更新 %(updated)s 条，"
                                "与已有记录相同 %(unchanged)s 条") % {
        "created": saved.created, "updated": saved.updated, "unchanged": saved.unchanged})
    for note in saved.skipped:
        messages.warning(request, note)
    return redirect("unit_progress", code=unit.code)


@login_only
@require_GET
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    versions = list(report.versions.select_related("submitted_by"))
    return render(request, "progress/report_detail.html", {
        "report": report,
        "unit": report.unit,
        "versions": versions,
        "round_totals": services.round_totals(report),
        "cumulative_totals": services.cumulative_totals(report),
        "activities": [a.to_row() for a in report.activities.live().prefetch_related("tags")],
        "can_reopen": allows(request.user, Action.REOPEN_REPORT)
        and report.status == ReportStatus.SUBMITTED,
    })


@login_only
@require_GET
def report_version(request, pk: int, number: int):
    report = _report_or_404(request.user, pk)
    version = get_object_or_404(report.versions, number=number)
    rows = [services.row_from_json(item) for item in version.snapshot["activities"]]
    return render(request, "progress/report_version.html", {
        "report": report, "unit": report.unit, "version": version, "rows": rows,
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
    version = get_object_or_404(report.versions, number=number) if number else None
    return exports.report_response(request.user, report, version)


@login_only
@require_GET
def template_xlsx(request):
    return exports.template_response()


@require(Action.VIEW_OVERVIEW)
@require_GET
def campaign_progress(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(request, "progress/campaign_progress.html", {
        "campaign": campaign, "table": exports.round_table(campaign),
    })


@require(Action.VIEW_OVERVIEW)
@require_GET
def campaign_xlsx(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return exports.consolidated_response(request.user, campaign)

