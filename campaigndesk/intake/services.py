"""What people do with mailed files: assign a message to a unit, confirm a table (it is
then submitted, timed by the mail's arrival) or a brief (it becomes a draft), set
attachments aside, and keep the units' sender addresses.

Each write is one transaction with its audit entry. Whoever confirms for a unit that is
not their own (a region administrator on its behalf) is recorded as doing so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.progress import excel_in, uploads
from campaigndesk.progress import services as progress
from campaigndesk.progress.models import Report, ReportStatus, ReportVersion
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows

from . import filing, replies, rounds, senders, storage, textbrief
from .access import may_handle
from .models import (
    AttachmentKind,
    AttachmentState,
    MailAttachment,
    MailMessage,
    MessageState,
    UnitMailAddress,
    UnitSource,
)


class IntakeRefused(Exception):
    """Shown to the user as it is: why this cannot be done now."""


class PreviewOutdated(Exception):
    """The unit's rounds changed after the preview was made (a grid save, an import):
    confirming would write over rows the user has not seen. Nothing was imported.
    `preview` is the preview made on today's rows, to show again without reading the
    file a second time."""

    def __init__(self, preview: TablePreview) -> None:
        super().__init__()
        self.preview = preview


def _may(by, action: Action, unit: Unit | None = None) -> None:
    if not allows(by, action, unit):
        raise PermissionDenied


def _on_behalf(by, unit: Unit) -> str:
    """The audit's note when a region user acts for the unit."""
    return "" if getattr(by, "unit_id", None) == unit.pk else _("代%(unit)s确认") % {
        "unit": unit.name}


# Tables --------------------------------------------------------------------------------


def read_table(attachment: MailAttachment) -> excel_in.ReadResult:
    """The table read as an upload is read (same guard, same child process, same checks)."""
    if attachment.campaign is None:
        raise IntakeRefused(_("本单位没有进行中的宣传活动，无法导入"))
    try:
        return excel_in.read_progress(storage.read(attachment.key),
                                      filename=attachment.filename,
                                      context=uploads.read_context(attachment.campaign))
    except excel_in.UnreadableFile as exc:
        raise IntakeRefused(_("无法读取“%(name)s”：%(error)s") % {
            "name": attachment.filename, "error": exc}) from None
    except FileNotFoundError:
        raise IntakeRefused(_("附件文件已不存在")) from None


def round_of(attachment: MailAttachment) -> Report | None:
    """The round the table goes into (a Report not saved yet when the unit has not opened
    it), None when the campaign has no progress round. Decided again now (rounds.round_in):
    the unit may have submitted a round on the web since the mail was filed."""
    unit = attachment.message.unit
    if attachment.campaign is None or unit is None:
        return None
    deadline = rounds.round_in(attachment.campaign, unit, attachment.message.counted_at)
    if deadline is None:
        return None
    return (Report.objects.filter(deadline=deadline, unit=unit).first()
            or Report(deadline=deadline, unit=unit))


@dataclass(frozen=True)
class TablePreview:
    result: excel_in.ReadResult
    plan: uploads.Plan
    report: Report | None
    late_by: object  # timedelta past the deadline, or None when on time
    # The round's draft activities the mail does not contain (typed on the web): they are
    # submitted too, so the submission cannot take the mail's time.
    beside: tuple = ()

    @property
    def by_mail_time(self) -> bool:
        return not self.beside

    @property
    def refusal(self) -> str:
        """Why it cannot be confirmed as it is, or ""."""
        if self.report is None:
            return _("本活动没有工作进展报送节点")
        if self.report.pk and self.report.status == ReportStatus.SUBMITTED:
            return _("%(title)s已报送，不能再按这封邮件报送；如需更正请联系自治区管理员退回") % {
                "title": self.report.deadline.title}
        if self.result.errors:
            return _("文件中有 %(n)s 处错误，不能确认；请修改后重新发送（或重新上传），"
                     "或不予采用") % {"n": len(self.result.errors)}
        return ""


def preview_table(attachment: MailAttachment) -> TablePreview:
    result = read_table(attachment)
    unit = attachment.message.unit
    report = round_of(attachment)
    planned = progress.preview_import(attachment.campaign, unit, result.rows, into=report)
    beside = tuple(progress.rows_beside(result.rows, report))
    when = attachment.message.counted_at if not beside else timezone.now()
    plan = uploads.Plan(new=planned.created, updated=planned.updated,
                        unchanged=planned.unchanged, skipped=planned.skipped, round=report,
                        counted_at=when)
    due = report.deadline.due_at if report is not None else None
    late = when - due if due is not None and when > due else None
    return TablePreview(result=result, plan=plan, report=report, late_by=late, beside=beside)


def _pending(attachment: MailAttachment) -> MailAttachment:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the unit.
    locked = (MailAttachment.objects.select_for_update(of=("self",))
              .select_related("message__unit").get(pk=attachment.pk))
    if locked.state != AttachmentState.PENDING:
        raise IntakeRefused(_("“%(name)s”已处理（%(state)s）") % {
            "name": locked.filename, "state": locked.get_state_display()})
    return locked


def confirm_table(by, attachment: MailAttachment, *, reporter_name: str,
                  reporter_phone: str, revisions: str | None = None) -> ReportVersion:
    """Import the mailed table into its round and submit the round, timed by the mail's
    arrival (邮件报送). All or nothing: a refused submission leaves no imported row.
    `revisions`: those of the unit's rounds when the preview was made
    (progress.services.revisions_of); other ones now raise PreviewOutdated."""
    unit = attachment.message.unit
    if unit is None:
        raise IntakeRefused(_("这封邮件还没有分配报送单位"))
    _may(by, Action.EDIT_UNIT_DATA, unit)
    errors = progress.reporter_errors(reporter_name, reporter_phone)
    if errors:
        raise ValidationError(errors)
    preview = preview_table(attachment)  # reads the file before the write transaction
    if preview.refusal:
        raise IntakeRefused(preview.refusal)
    ensure_open(attachment.campaign)
    # The mail's arrival, unless rows typed on the web go with it (preview.beside).
    when = preview.plan.counted_at
    with transaction.atomic():
        locked = _pending(attachment)
        if revisions is not None and revisions != progress.revisions_of(locked.campaign, unit):
            raise PreviewOutdated(preview)
        locked.deadline = preview.report.deadline
        report, _created = Report.objects.get_or_create(deadline=locked.deadline, unit=unit)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == ReportStatus.SUBMITTED:
            raise IntakeRefused(TablePreview(preview.result, preview.plan, report,
                                             None).refusal)
        last = report.versions.order_by("-number").first()
        if last is not None and last.submitted_at >= when:
            raise IntakeRefused(_("这封邮件早于本轮最近一次报送（%(time)s），不能作为更正报送") % {
                "time": f"{timezone.localtime(last.submitted_at):%Y-%m-%d %H:%M}"})
        progress.import_rows(by, locked.campaign, unit, preview.result.rows,
                             reporter_name=preview.result.reporter_name,
                             reporter_phone=preview.result.reporter_phone,
                             filename=locked.filename, into=report)
        version = progress.submit_report(by, report, reporter_name=reporter_name,
                                         reporter_phone=reporter_phone, now=when,
                                         by_mail=preview.by_mail_time)
        locked.state, locked.report = AttachmentState.CONFIRMED, report
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.note = _("已报送%(title)s第%(n)s版") % {"title": report.deadline.title,
                                                   "n": version.number}
        locked.save()
        record(by, "intake.confirm", locked, message=_on_behalf(by, unit) or locked.note,
               changes={"file": locked.filename, "version": version.number,
                        "late": version.is_late, "activities": len(preview.result.rows)})
    return version


# Briefs --------------------------------------------------------------------------------


def _brief_from(by, attachment: MailAttachment, data: bytes) -> tuple[object, list[str]]:
    from campaigndesk.articles import docx_import
    from campaigndesk.articles import services as articles

    suffix = PurePosixPath(attachment.filename.lower()).suffix
    campaign, unit = attachment.campaign, attachment.message.unit
    try:
        if suffix == ".docx":
            return docx_import.import_docx(by, campaign, unit,
                                           ContentFile(data, name=attachment.filename))
        if suffix == ".txt":
            title, body = textbrief.title_and_body(data, attachment.message.subject)
            return articles.create_article(by, campaign=campaign, unit=unit, title=title,
                                           body=body), []
    except (docx_import.DocxRefused, articles.TransitionRefused) as exc:
        raise IntakeRefused(str(exc)) from None
    raise IntakeRefused(_("旧版 Word（.doc）和 WPS（.wps）文件不能直接读取：请下载附件，在 WPS 或 "
                          "Word 中“另存为” .docx，再在宣传稿件页面导入；或请单位重新发送 .docx"))


def _photos_with(by, article, message: MailMessage) -> list[str]:
    """The photos mailed beside the brief, each checked as an upload; refusals named."""
    from campaigndesk.articles import photos
    from campaigndesk.articles import services as articles

    problems = []
    # People attach the pictures of the Word file beside it as well: the same picture is
    # not added twice (same perceptual hash as one the brief already has).
    present = set(article.photos.values_list("phash", flat=True))
    for photo in message.attachments.filter(kind=AttachmentKind.PHOTO,
                                            state=AttachmentState.PENDING):
        try:
            processed = photos.process(storage.read(photo.key))
            if processed.phash in present:
                state, note = AttachmentState.CONFIRMED, _("与稿件中已有的图片相同，未重复加入")
            else:
                articles.add_photo(by, article, processed, original_name=photo.filename)
                present.add(processed.phash)
                state, note = AttachmentState.CONFIRMED, _("已加入稿件")
        except (photos.PhotoRefused, articles.TransitionRefused, FileNotFoundError) as exc:
            problems.append(_("照片“%(name)s”未加入：%(reason)s") % {"name": photo.filename,
                                                                "reason": exc})
            state, note = AttachmentState.KEPT, str(exc)
        MailAttachment.objects.filter(pk=photo.pk).update(
            state=state, note=note[:500], article=article, decided_by=by,
            decided_at=timezone.now())
    return problems


def confirm_brief(by, attachment: MailAttachment) -> tuple[object, list[str]]:
    """The mailed brief becomes a draft of the unit (with the photos beside it); the unit
    reviews and submits it as any other draft."""
    unit = attachment.message.unit
    if unit is None:
        raise IntakeRefused(_("这封邮件还没有分配报送单位"))
    _may(by, Action.WRITE_ARTICLES, unit)
    if attachment.campaign is None:
        raise IntakeRefused(_("本单位没有进行中的宣传活动，无法生成稿件"))
    # Claimed first: a double click makes one draft. Slow work (proofreading, photos)
    # then runs outside any transaction, as the Word import wants.
    if not MailAttachment.objects.filter(pk=attachment.pk, state=AttachmentState.PENDING) \
            .update(state=AttachmentState.WORKING):
        raise IntakeRefused(_("“%(name)s”已处理") % {"name": attachment.filename})
    try:
        article, problems = _brief_from(by, attachment, storage.read(attachment.key))
        problems += _photos_with(by, article, attachment.message)
    except BaseException:
        MailAttachment.objects.filter(pk=attachment.pk).update(state=AttachmentState.PENDING)
        raise
    with transaction.atomic():
        MailAttachment.objects.filter(pk=attachment.pk).update(
            state=AttachmentState.CONFIRMED, article=article, decided_by=by,
            decided_at=timezone.now(), note=_("已生成稿件草稿"))
        attachment.refresh_from_db()
        record(by, "intake.confirm", attachment, message=_on_behalf(by, unit)
               or _("生成稿件草稿"), changes={"file": attachment.filename,
                                          "refused": len(problems)})
    return article, problems


# Setting aside, assigning --------------------------------------------------------------


def _may_handle(by, message: MailMessage) -> None:
    if not may_handle(by, message):
        raise PermissionDenied


@transaction.atomic
def discard(by, attachment: MailAttachment, *, reason: str) -> MailAttachment:
    """不予采用: the file stays on record, nothing is made of it."""
    _may_handle(by, attachment.message)
    locked = MailAttachment.objects.select_for_update().get(pk=attachment.pk)
    if locked.state not in (AttachmentState.PENDING, AttachmentState.KEPT):
        raise IntakeRefused(_("“%(name)s”已处理（%(state)s）") % {
            "name": locked.filename, "state": locked.get_state_display()})
    locked.state, locked.note = AttachmentState.DISCARDED, reason.strip()[:500]
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save()
    record(by, "intake.discard", locked, message=locked.note)
    return locked


def _lock_sortable(message: MailMessage) -> MailMessage:
    locked = MailMessage.objects.select_for_update().get(pk=message.pk)
    if locked.state not in (MessageState.NEEDS_UNIT, MessageState.FILED):
        raise IntakeRefused(_("这封邮件为“%(state)s”，不能分配") % {
            "state": locked.get_state_display()})
    if locked.attachments.filter(state__in=[AttachmentState.CONFIRMED,
                                            AttachmentState.WORKING]).exists():
        raise IntakeRefused(_("这封邮件的附件已有确认的，不能再改报送单位"))
    return locked


@transaction.atomic
def assign(by, message: MailMessage, unit: Unit, *, remember: bool = False) -> MailMessage:
    """A region user says which unit the mail is from; its files then wait for that
    unit's confirmation. `remember`: the sender's address is registered for the unit."""
    _may(by, Action.SORT_MAIL)
    if not unit.is_active:
        raise IntakeRefused(_("单位“%(unit)s”已停用") % {"unit": unit.name})
    locked = _lock_sortable(message)
    before = str(locked.unit) if locked.unit_id else ""
    locked.unit, locked.unit_source, locked.state = unit, UnitSource.ASSIGNED, MessageState.FILED
    locked.save(update_fields=["unit", "unit_source", "state"])
    for attachment in locked.attachments.all():
        filing.place(attachment, locked)
        attachment.save(update_fields=["campaign", "deadline"])
    record(by, "intake.assign", locked, changes={"unit": [before, unit.name]},
           message=f"{locked.sender} {locked.subject}"[:300])
    if remember and locked.sender:
        add_address(by, unit, locked.sender, note=_("分配邮件时登记"))
    filing.notify(locked)
    if settings.MAIL_INTAKE_REPLIES:
        transaction.on_commit(lambda: replies.acknowledge(locked))
    return locked


@transaction.atomic
def dismiss(by, message: MailMessage, *, reason: str) -> MailMessage:
    """Not a unit's submission at all (the department's other mail): set aside whole."""
    _may(by, Action.SORT_MAIL)
    locked = _lock_sortable(message)
    locked.state, locked.note = MessageState.DISMISSED, reason.strip()[:500]
    locked.save(update_fields=["state", "note"])
    locked.attachments.filter(state__in=[AttachmentState.PENDING, AttachmentState.KEPT]) \
        .update(state=AttachmentState.DISCARDED, decided_by=by, decided_at=timezone.now())
    record(by, "intake.dismiss", locked, message=locked.note)
    return locked


# Sender addresses ----------------------------------------------------------------------


@transaction.atomic
def add_address(by, unit: Unit, address: str, *, note: str = "") -> UnitMailAddress:
    _may(by, Action.SORT_MAIL)
    address = senders.normalise(address)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"address": _("“%(address)s”不是电子邮箱地址") % {
            "address": address}}) from None
    row, created = UnitMailAddress.objects.get_or_create(unit=unit, address=address,
                                                         defaults={"note": note.strip()[:100]})
    if created:
        record(by, "intake.address_add", unit, changes={"address": address},
               message=note.strip()[:100])
    return row


@transaction.atomic
def remove_address(by, row: UnitMailAddress) -> None:
    _may(by, Action.SORT_MAIL)
    record(by, "intake.address_remove", row.unit, changes={"address": row.address})
    row.delete()
