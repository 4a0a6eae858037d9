"""One `fetch_mail` run: take each new message once and file its attachments.

A message is claimed before anything else happens to it: a row with its Message-ID
(unique) is committed first. Two runs that overlap both list the message; the second
one's insert fails on the constraint and it moves on. A run that dies after the claim
leaves the row "处理中"; after STALE_MINUTES the next run takes it up again (by UID).
Files are stored, the unit looked up and the rows written after the claim; a message
that cannot be processed is kept as 处理失败 with the reason, for a region user to see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.jobs.registry import Step

from . import mime, replies, rounds, senders, storage
from .imap import Listed, Mailbox
from .models import (
    AttachmentKind,
    AttachmentState,
    MailAttachment,
    MailboxMark,
    MailMessage,
    MessageState,
)

logger = logging.getLogger(__name__)

STALE_MINUTES = 30
ACTOR = "fetch_mail"  # the audit log's name for the command (no account)
TABLE_SUFFIXES = {".xlsx", ".xls", ".ods", ".csv"}
BRIEF_SUFFIXES = {".docx", ".doc", ".wps", ".txt"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
# The mail's own text becomes the brief when photos come without a document and the
# text is long enough to be one (a short "请查收" is not).
BODY_BRIEF_MIN_CHARS = 100


@dataclass
class RunResult:
    messages: int = 0  # new messages taken by this run
    skipped: int = 0  # listed but known already (taken before or by another run)
    pending: int = 0  # attachments waiting for a unit's confirmation
    needs_unit: int = 0  # messages waiting for a region user to name the unit
    refused: int = 0
    failed: int = 0
    seconds: float = 0.0

    def text(self) -> str:
        """The run in one sentence: `fetch_mail` prints it, the fetch job shows it."""
        if not self.messages:
            return "没有新邮件"
        return (f"读取新邮件 {self.messages} 封（{self.seconds:.1f} 秒）：待单位确认的附件 "
                f"{self.pending} 个，待分配单位的邮件 {self.needs_unit} 封，拒收附件 "
                f"{self.refused} 个，处理失败 {self.failed} 封")


def kind_of(filename: str, content_type: str) -> str:
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix in TABLE_SUFFIXES:
        return AttachmentKind.TABLE
    if suffix in BRIEF_SUFFIXES:
        return AttachmentKind.BRIEF
    if suffix in PHOTO_SUFFIXES or (not suffix and content_type.startswith("image/")):
        return AttachmentKind.PHOTO
    return AttachmentKind.OTHER


def _size_words(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def max_message_bytes() -> int:
    """A message larger than this is not downloaded at all (its header is, to say who sent
    what): room for a few attachments at the limit, base64 making each a third larger."""
    return settings.MAIL_INTAKE_MAX_ATTACHMENT_BYTES * 4


@dataclass
class _Filed:
    """An attachment ready to be written: its row (unsaved) and its bytes."""

    row: MailAttachment
    data: bytes = b""


def _plan(parsed: mime.ParsedMail) -> list[_Filed]:
    limit = settings.MAIL_INTAKE_MAX_ATTACHMENT_BYTES
    parts = list(parsed.parts)
    kinds = [kind_of(p.filename, p.content_type) for p in parts]
    if AttachmentKind.PHOTO in kinds and AttachmentKind.BRIEF not in kinds \
            and len(parsed.text) >= BODY_BRIEF_MIN_CHARS:
        body = f"{parsed.subject}\n{parsed.text}" if parsed.subject else parsed.text
        parts.insert(0, mime.Part("邮件正文.txt", body.encode("utf-8"), "text/plain"))
        kinds.insert(0, AttachmentKind.BRIEF)
    has_brief = AttachmentKind.BRIEF in kinds
    planned = []
    for position, (part, kind) in enumerate(zip(parts, kinds, strict=True), start=1):
        row = MailAttachment(position=position, filename=part.filename or _("未命名附件"),
                             inside=part.inside[:300], kind=kind, size=len(part.data))
        if len(part.data) > limit:
            row.state = AttachmentState.REFUSED
            row.note = _("附件过大（%(size)s），上限为 %(limit)s MB，未受理；请压缩后重新发送，"
                         "或登录系统上传") % {"size": _size_words(len(part.data)),
                                        "limit": limit // 1024 // 1024}
            planned.append(_Filed(row))
            continue
        if not part.data:
            row.state, row.note = AttachmentState.REFUSED, _("空文件，未受理")
            planned.append(_Filed(row))
            continue
        if kind in (AttachmentKind.TABLE, AttachmentKind.BRIEF):
            row.state = AttachmentState.PENDING
        elif kind == AttachmentKind.PHOTO and has_brief:
            row.state = AttachmentState.PENDING  # goes with the brief when it is confirmed
        else:
            row.state = AttachmentState.KEPT
            row.note = (_("照片没有随附稿件，留存备查") if kind == AttachmentKind.PHOTO
                        else _("不是统计表或稿件，留存备查"))
        planned.append(_Filed(row, part.data))
    return planned


def place(attachment: MailAttachment, message: MailMessage) -> None:
    """Set the campaign and round the attachment goes to, from the message's unit."""
    if attachment.kind not in (AttachmentKind.TABLE, AttachmentKind.BRIEF,
                               AttachmentKind.PHOTO):
        return
    campaign, deadline = rounds.target(message.unit, message.counted_at)
    attachment.campaign = campaign
    attachment.deadline = deadline if attachment.kind == AttachmentKind.TABLE else None


def notify(message: MailMessage) -> None:
    """An on-site notice to the unit: what arrived and where to confirm it."""
    from campaigndesk.articles.models import Notice

    waiting = message.attachments.filter(state=AttachmentState.PENDING).exclude(
        kind=AttachmentKind.PHOTO).count()
    if message.unit_id is None or not waiting:
        return
    Notice.objects.create(
        unit=message.unit, link=reverse("unit_mail", kwargs={"code": message.unit.code}),
        text=(_("收到邮件报送“%(subject)s”：%(count)s 个附件待确认，确认后才计入报送")
              % {"subject": message.subject or message.sender, "count": waiting})[:300])


def _refused_whole(size: int) -> list[_Filed]:
    row = MailAttachment(position=1, filename=_("（整封邮件）"), kind=AttachmentKind.OTHER,
                         size=size, state=AttachmentState.REFUSED)
    row.note = _("邮件过大（%(size)s），未下载，其中附件均未受理；请分几封发送，每个附件不超过 "
                 "%(limit)s MB") % {"size": _size_words(size),
                                   "limit": settings.MAIL_INTAKE_MAX_ATTACHMENT_BYTES
                                   // 1024 // 1024}
    return [_Filed(row)]


def _write(message: MailMessage, parsed: mime.ParsedMail, raw_size: int, *,
           whole_refused: bool = False) -> None:
    """Store the files, then the rows in one transaction (the files go again if it fails)."""
    planned = _refused_whole(raw_size) if whole_refused else _plan(parsed)
    keys = []
    try:
        for filed in planned:
            if filed.data:
                filed.row.key, filed.row.sha256 = storage.store(filed.data)
                keys.append(filed.row.key)
        unit, source, candidates = senders.match(parsed.sender)
        with transaction.atomic():
            message.sender, message.sender_name = parsed.sender, parsed.sender_name
            message.subject, message.sent_at = parsed.subject, parsed.sent_at
            message.size = raw_size
            message.unit, message.unit_source, message.candidates = unit, source, candidates
            if not planned:
                message.state = MessageState.NOTHING
            else:
                message.state = MessageState.FILED if unit else MessageState.NEEDS_UNIT
            message.save()
            for filed in planned:
                filed.row.message = message
                place(filed.row, message)
                filed.row.save()
            if planned:
                record(None, "intake.receive", message, username=ACTOR,
                       message=f"{parsed.sender} {parsed.subject}"[:300],
                       changes={"unit": str(unit) if unit else "",
                                "file": [f.row.filename for f in planned],
                                "refused": sum(f.row.state == AttachmentState.REFUSED
                                               for f in planned)})
            notify(message)
            if planned and settings.MAIL_INTAKE_REPLIES and not parsed.automatic:
                transaction.on_commit(lambda: replies.acknowledge(message))
    except BaseException:
        for key in keys:
            storage.remove(key)
        raise


def process(message: MailMessage, raw: bytes, *, too_big: int = 0) -> None:
    """File one claimed message; a failure leaves it 处理失败 with the reason. `too_big`:
    the size of a message over max_message_bytes(), of which only the header was read."""
    try:
        _write(message, mime.parse(raw), too_big or len(raw), whole_refused=bool(too_big))
    except Exception as exc:  # one broken message must not stop the run
        logger.exception("邮件 %s 处理失败", message.message_id)
        MailMessage.objects.filter(pk=message.pk).update(
            state=MessageState.FAILED, note=f"{type(exc).__name__}: {exc}"[:500])


def claim(key: str, listed: Listed, uid_validity: int) -> MailMessage | None:
    """The message's row, committed, or None when another run (or an earlier one) has
    it: the unique Message-ID decides."""
    try:
        with transaction.atomic():
            return MailMessage.objects.create(
                message_id=key, uid=listed.uid, uid_validity=uid_validity,
                claimed_at=timezone.now(), received_at=listed.arrived, size=listed.size)
    except IntegrityError:
        return None


def _reclaim_stale(box: Mailbox, now: datetime) -> list[MailMessage]:
    """Messages claimed by a run that died before filing them: taken over, each by one
    run (the claim time is the compare-and-set)."""
    taken = []
    cutoff = now - timedelta(minutes=STALE_MINUTES)
    for stale in MailMessage.objects.filter(state=MessageState.RECEIVED, claimed_at__lt=cutoff,
                                            uid_validity=box.uid_validity):
        if MailMessage.objects.filter(pk=stale.pk, claimed_at=stale.claimed_at).update(
                claimed_at=now):
            stale.claimed_at = now
            taken.append(stale)
    return taken


def _known(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found |= set(MailMessage.objects.filter(message_id__in=keys[start:start + 500])
                     .values_list("message_id", flat=True))
    return found


def _advance(box: Mailbox, last_uid: int) -> None:
    mark, _created = MailboxMark.objects.get_or_create(mailbox=box.key[:255])
    if mark.uid_validity != box.uid_validity:
        MailboxMark.objects.filter(pk=mark.pk).update(uid_validity=box.uid_validity,
                                                      last_uid=last_uid)
    else:
        MailboxMark.objects.filter(pk=mark.pk, last_uid__lt=last_uid).update(last_uid=last_uid)


def _start(box: Mailbox) -> int:
    mark = MailboxMark.objects.filter(mailbox=box.key[:255]).first()
    if mark is None or mark.uid_validity != box.uid_validity:
        return 0
    return mark.last_uid


GONE = "邮件已从邮箱中删除，无法再读取"


def _gone(message: MailMessage) -> None:
    MailMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED, note=_(GONE))


def _file(box: Mailbox, message: MailMessage, raw: bytes | None = None) -> None:
    too_big = message.size if message.size > max_message_bytes() else 0
    if raw is None:
        raw = box.fetch(message.uid, header_only=bool(too_big))
    if raw is None:
        _gone(message)
    else:
        process(message, raw, too_big=too_big)


def _take(box: Mailbox, item: Listed, known: set[str]) -> MailMessage | None:
    """Claim and file one listed message; None when it is not this run's to take."""
    raw = None
    if item.message_id:
        key = mime.message_key(item.message_id, b"", item.size)
    else:  # no Message-ID: known by a digest of its bytes (its header's, when too big)
        raw = box.fetch(item.uid, header_only=item.size > max_message_bytes())
        if raw is None:
            return None
        key = mime.message_key("", raw)
    if key in known:
        return None
    message = claim(key, item, box.uid_validity)
    if message is None:
        return None
    _file(box, message, raw)
    return message


def _quiet(percent: float, text: str) -> None:
    pass


def run(config: dict | None = None, *, limit: int | None = None,
        step: Step = _quiet) -> RunResult:
    """Read the new messages of the configured mailbox and file them. `step(percent, text)`
    hears each message begun (the background job's progress)."""
    clock = timezone.now()
    result = RunResult()
    mine: list[int] = []
    step(1, _("正在连接邮箱"))
    with Mailbox(config or settings.MAIL_INTAKE) as box:
        for stale in _reclaim_stale(box, clock):
            _file(box, stale)
            mine.append(stale.pk)
        step(5, _("正在列出新邮件"))
        listed = box.listing(box.after(_start(box)))
        known = _known([mime.message_key(item.message_id, b"", item.size) for item in listed
                        if item.message_id])
        highest = 0
        total = len(listed) if limit is None else min(limit, len(listed))
        for number, item in enumerate(listed, start=1):
            if limit is not None and len(mine) >= limit:
                break
            step(5 + 94 * (number - 1) / max(1, total),
                 _("正在读取第%(n)s/%(total)s封邮件") % {"n": number, "total": total})
            message = _take(box, item, known)
            if message is None:
                result.skipped += 1
            else:
                mine.append(message.pk)
            highest = item.uid
        if highest:
            _advance(box, highest)
    _count(result, mine)
    result.seconds = (timezone.now() - clock).total_seconds()
    return result


def _count(result: RunResult, pks: list[int]) -> None:
    taken = MailMessage.objects.filter(pk__in=pks)
    result.messages = len(pks)
    result.needs_unit = taken.filter(state=MessageState.NEEDS_UNIT).count()
    result.failed = taken.filter(state=MessageState.FAILED).count()
    attachments = MailAttachment.objects.filter(message__in=taken)
    result.pending = attachments.filter(state=AttachmentState.PENDING).exclude(
        kind=AttachmentKind.PHOTO).count()
    result.refused = attachments.filter(state=AttachmentState.REFUSED).count()
