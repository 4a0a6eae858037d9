"""The 邮件报送 pages: the region's intake inbox, a mail, a unit's mailed files waiting for
confirmation, the preview and confirmation of one, the units' sender addresses."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.articles.access import not_post
from campaigndesk.audit.services import record
from campaigndesk.campaigns.services import CampaignClosed
from campaigndesk.jobs.services import start_job
from campaigndesk.progress import services as progress
from campaigndesk.progress.table import COLUMNS
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, require, unit_or_404

from . import fetch_job, models, services, storage
from .access import attachment_or_404, may_confirm, may_set_aside, message_or_404
from .models import AttachmentKind, AttachmentState, MessageState

INBOX_PAGE = 50
WAITING = [MessageState.NEEDS_UNIT, MessageState.FAILED, MessageState.RECEIVED]


def _units(first=()):
    """The units a mail may be assigned to: active ones; the codes in `first` (the units a
    shared address is registered for) at the top, then the 14 reporting bureaus, then the
    rest by code. (Ordered by level the ~100 counties came first: "county" < "league".)"""
    units = list(Unit.objects.active().select_related("reports_to").order_by("code"))

    def rank(unit):
        bureau = unit.reports_to is not None and unit.reports_to.reports_to_id is None
        return (unit.code not in first, not bureau, unit.code)

    return sorted(units, key=rank)


@require(Action.SORT_MAIL)
@require_GET
def inbox(request):
    show = request.GET.get("show", "")
    mails = models.MailMessage.objects.select_related("unit").prefetch_related("attachments")
    if show != "all":
        mails = mails.filter(state__in=WAITING)
    page = Paginator(mails.order_by("-received_at", "-pk"), INBOX_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "intake/inbox.html", {
        "page": page, "show_all": show == "all",
        "waiting": models.MailMessage.objects.filter(state__in=WAITING).count(),
        "configured": bool(settings.MAIL_INTAKE), "last_fetch": fetch_job.last_fetch(),
        "every": settings.MAIL_INTAKE_FETCH_MINUTES})


@require(Action.SORT_MAIL)
@require_POST
def fetch_now(request):
    """Reads the mailbox now, as a background job; its page shows the mails read so far."""
    if not settings.MAIL_INTAKE:
        messages.error(request, _(fetch_job.NOT_CONFIGURED))
        return redirect("intake_inbox")
    job = start_job(request.user, fetch_job.KIND)
    return redirect("job_detail", pk=job.pk)


@login_only
@require_GET
def message_detail(request, pk: int):
    message = message_or_404(request.user, pk)
    attachments = list(message.attachments.select_related("campaign", "deadline", "article",
                                                          "report"))
    candidates = list(Unit.objects.filter(code__in=message.candidates))
    return render(request, "intake/message.html", {
        "mail": message, "attachments": attachments, "candidates": candidates,
        "can_sort": allows(request.user, Action.SORT_MAIL),
        "units": _units(first=message.candidates),
    })


@require(Action.SORT_MAIL)
def message_assign(request, pk: int):
    message = message_or_404(request.user, pk)
    if refused := not_post(request):
        return refused
    unit = Unit.objects.filter(code=request.POST.get("unit", "").strip()).first()
    if unit is None:
        messages.error(request, _("请选择报送单位"))
        return redirect("intake_message", pk=message.pk)
    try:
        services.assign(request.user, message, unit,
                        remember=request.POST.get("remember") == "1")
    except (services.IntakeRefused, ValidationError) as exc:
        messages.error(request, _text(exc))
    else:
        messages.success(request, _("已分配给%(unit)s，等待该单位确认") % {"unit": unit.name})
    return redirect("intake_message", pk=message.pk)


@require(Action.SORT_MAIL)
def message_dismiss(request, pk: int):
    message = message_or_404(request.user, pk)
    if refused := not_post(request):
        return refused
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("请填写不予处理的原因"))
        return redirect("intake_message", pk=message.pk)
    try:
        services.dismiss(request.user, message, reason=reason)
    except services.IntakeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已标记为不予处理"))
    return redirect("intake_message", pk=message.pk)


@login_only
@require_GET
def unit_mail(request, code: str):
    """A unit's mailed files: those waiting for its confirmation, then what became of the
    others."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    files = (models.MailAttachment.objects.filter(message__unit=unit)
             .exclude(kind=AttachmentKind.PHOTO, state=AttachmentState.PENDING)
             .select_related("message", "campaign", "deadline", "article", "report")
             .order_by("-message__received_at", "position"))
    waiting = [a for a in files if a.state == AttachmentState.PENDING]
    done = Paginator([a for a in files if a.state != AttachmentState.PENDING], 50).get_page(
        request.GET.get("page"))
    return render(request, "intake/unit_mail.html", {
        "unit": unit, "waiting": waiting, "done": done,
        "can_edit": allows(request.user, Action.EDIT_UNIT_DATA, unit)})


def _text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _table_page(request, attachment, *, status: int = 200, errors=None, changed=False,
                preview=None):
    try:
        preview = preview or services.preview_table(attachment)
    except services.IntakeRefused as exc:
        return render(request, "intake/unreadable.html", {
            "attachment": attachment, "mail": attachment.message, "reason": str(exc),
            "can_discard": attachment.state in (AttachmentState.PENDING, AttachmentState.KEPT)
            and may_set_aside(request.user, attachment)}, status=status)
    result = preview.result
    reporter = (request.POST.get("reporter_name", result.reporter_name),
                request.POST.get("reporter_phone", result.reporter_phone))
    if not any(reporter) and preview.report is not None and preview.report.pk:
        reporter = progress.reporter_defaults(preview.report)
    return render(request, "intake/table_preview.html", {
        "attachment": attachment, "mail": attachment.message, "unit": attachment.message.unit,
        "campaign": attachment.campaign, "result": result, "plan": preview.plan,
        "columns": COLUMNS, "pending": attachment, "round": preview.report,
        "late_by": preview.late_by, "refusal": preview.refusal, "beside": preview.beside,
        "can_confirm": attachment.state == AttachmentState.PENDING
        and may_confirm(request.user, attachment) and not attachment.campaign.is_closed,
        "can_discard": attachment.state == AttachmentState.PENDING
        and may_set_aside(request.user, attachment),
        "reporter_name": reporter[0], "reporter_phone": reporter[1],
        "submit_errors": errors or {}, "changed": changed,
        # The rounds as this preview saw them: confirming checks them (PreviewOutdated).
        "revisions": progress.revisions_of(attachment.campaign, attachment.message.unit),
    }, status=status)


@login_only
@require_GET
def attachment_detail(request, pk: int):
    """The preview: a table exactly as an upload's preview, with the round and the mail's
    time; a brief with its title and text; any other file with its download."""
    attachment = attachment_or_404(request.user, pk)
    if attachment.kind == AttachmentKind.TABLE and attachment.state == AttachmentState.PENDING \
            and attachment.message.unit_id:
        return _table_page(request, attachment)
    brief = None
    if attachment.kind == AttachmentKind.BRIEF and attachment.state == AttachmentState.PENDING:
        brief = _brief_glance(attachment)
    return render(request, "intake/attachment.html", {
        "attachment": attachment, "mail": attachment.message, "brief": brief,
        "photos": attachment.message.attachments.filter(kind=AttachmentKind.PHOTO,
                                                        state=AttachmentState.PENDING),
        "can_confirm": attachment.state == AttachmentState.PENDING
        and attachment.kind == AttachmentKind.BRIEF and may_confirm(request.user, attachment),
        "can_discard": attachment.state in (AttachmentState.PENDING, AttachmentState.KEPT)
        and may_set_aside(request.user, attachment),
    })


def _brief_glance(attachment):
    """(title, first lines) of a mailed brief, or a sentence saying why there are none."""
    from campaigndesk.articles import docx_import

    from . import textbrief

    name = attachment.filename.lower()
    try:
        data = storage.read(attachment.key)
        if name.endswith(".docx"):
            title, body, pictures = docx_import.read(data)
            return {"title": title, "body": body[:600], "pictures": len(pictures)}
        if name.endswith(".txt"):
            title, body = textbrief.title_and_body(data, attachment.message.subject)
            return {"title": title, "body": body[:600], "pictures": 0}
    except (docx_import.DocxRefused, FileNotFoundError) as exc:
        return {"problem": str(exc) or _("附件文件已不存在")}
    return {"problem": _("旧版 Word（.doc）和 WPS（.wps）文件不能直接读取：请下载附件，在 WPS 或 "
                         "Word 中“另存为” .docx 后在宣传稿件页面导入，或请单位重新发送 .docx")}


@login_only
def attachment_confirm(request, pk: int):
    attachment = attachment_or_404(request.user, pk)
    if not may_confirm(request.user, attachment):
        raise PermissionDenied
    if refused := not_post(request):
        return refused
    if attachment.kind == AttachmentKind.TABLE:
        return _confirm_table(request, attachment)
    if attachment.kind != AttachmentKind.BRIEF:
        raise Http404
    try:
        article, problems = services.confirm_brief(request.user, attachment)
    except (services.IntakeRefused, CampaignClosed) as exc:
        messages.error(request, _text(exc))
        return redirect("intake_attachment", pk=attachment.pk)
    messages.success(request, _("已生成稿件草稿“%(title)s”，请核对后报送") % {
        "title": article.title})
    for problem in problems:
        messages.warning(request, problem)
    return redirect("article_edit", pk=article.pk)


def _confirm_table(request, attachment):
    try:
        version = services.confirm_table(
            request.user, attachment, reporter_name=request.POST.get("reporter_name", ""),
            reporter_phone=request.POST.get("reporter_phone", ""),
            revisions=request.POST.get("revisions", ""))
    except services.PreviewOutdated as outdated:
        return _table_page(request, attachment, status=409, changed=True,
                           preview=outdated.preview)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and not isinstance(exc, CampaignClosed):
            messages.error(request, _("填报人或手机号码有误，请按提示修改；未导入任何内容"))
            return _table_page(request, attachment, status=400, errors=exc.message_dict)
        messages.error(request, _text(exc))
        return redirect("intake_attachment", pk=attachment.pk)
    except services.IntakeRefused as exc:
        messages.error(request, str(exc))
        return redirect("intake_attachment", pk=attachment.pk)
    late = _("（逾期报送）") if version.is_late else ""
    # With rows typed on the web beside the mail's, the round counted when confirmed.
    said = (_("已按邮件到达时间报送%(title)s，第%(number)s版%(late)s") if version.by_mail
            else _("已报送%(title)s（含网页上填写的活动，按确认时间计），第%(number)s版%(late)s"))
    messages.success(request, said % {
        "title": version.report.deadline.title, "number": version.number, "late": late})
    return redirect("report_detail", pk=version.report_id)


@login_only
def attachment_discard(request, pk: int):
    attachment = attachment_or_404(request.user, pk)
    if not may_set_aside(request.user, attachment):
        raise PermissionDenied
    if refused := not_post(request):
        return refused
    try:
        services.discard(request.user, attachment, reason=request.POST.get("reason", ""))
    except services.IntakeRefused as exc:
        messages.error(request, str(exc))
        return redirect("intake_attachment", pk=attachment.pk)
    messages.success(request, _("“%(name)s”已标记为不予采用") % {"name": attachment.filename})
    if attachment.message.unit_id and allows(request.user, Action.VIEW_UNIT,
                                             attachment.message.unit):
        return redirect("unit_mail", code=attachment.message.unit.code)
    return redirect("intake_message", pk=attachment.message_id)


@login_only
@require_GET
def attachment_file(request, pk: int):
    """The file as it came, always as a download (never shown inline: it is the sender's)."""
    attachment = attachment_or_404(request.user, pk)
    if not attachment.key:
        raise Http404
    try:
        handle = storage.path_of(attachment.key).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(request.user, "intake.download", attachment, changes={"file": attachment.filename})
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    return response


@require(Action.SORT_MAIL)
@require_http_methods(["GET", "POST"])
def addresses(request):
    errors = {}
    if request.method == "POST":
        unit = Unit.objects.filter(code=request.POST.get("unit", "").strip()).first()
        if unit is None:
            errors = {"unit": [_("请选择单位")]}
        else:
            try:
                services.add_address(request.user, unit, request.POST.get("address", ""),
                                     note=request.POST.get("note", ""))
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("已登记%(unit)s的报送邮箱") % {"unit": unit.name})
                return redirect("intake_addresses")
    rows = models.UnitMailAddress.objects.select_related("unit")
    return render(request, "intake/addresses.html", {
        "rows": rows, "units": _units(), "errors": errors, "posted": request.POST,
        "shared": _shared(rows)}, status=400 if errors else 200)


def _shared(rows) -> set[str]:
    """Addresses registered for more than one unit: their mail waits for a region user."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.address] = seen.get(row.address, 0) + 1
    return {address for address, count in seen.items() if count > 1}


@require(Action.SORT_MAIL)
def address_remove(request, pk: int):
    row = get_object_or_404(models.UnitMailAddress.objects.select_related("unit"), pk=pk)
    if refused := not_post(request):
        return refused
    services.remove_address(request.user, row)
    messages.success(request, _("已删除%(unit)s的报送邮箱 %(address)s") % {
        "unit": row.unit.name, "address": row.address})
    return redirect("intake_addresses")
