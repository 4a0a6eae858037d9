"""The answer to the sender (MAIL_INTAKE_REPLIES, off by default): what was received, what
was refused and why, and that nothing counts until it is confirmed on the site.

Marked Auto-Submitted (RFC 3834) so that the sender's auto-reply does not answer back;
never sent to an auto-reply, a bounce or a list (mime.ParsedMail.automatic). Sent after
the message's rows are committed; a mail server that is down is logged, never raised.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AttachmentState, MailMessage

logger = logging.getLogger(__name__)


def _line(attachment) -> str:
    label = attachment.get_kind_display()
    if attachment.state == AttachmentState.REFUSED:
        return _("%(kind)s“%(name)s”：%(note)s") % {
            "kind": label, "name": attachment.filename, "note": attachment.note}
    if attachment.state == AttachmentState.PENDING:
        where = ""
        if attachment.deadline_id:
            due = timezone.localtime(attachment.deadline.due_at)
            where = _("（将计入%(title)s，截止 %(due)s）") % {
                "title": attachment.deadline.title, "due": f"{due:%m月%d日 %H:%M}"}
        return _("%(kind)s“%(name)s”：待确认%(where)s") % {
            "kind": label, "name": attachment.filename, "where": where}
    return _("%(kind)s“%(name)s”：%(state)s") % {
        "kind": label, "name": attachment.filename, "state": attachment.get_state_display()}


def text_of(message: MailMessage) -> str:
    arrived = timezone.localtime(message.counted_at)
    lines = [_("您好！"), "",
             _("社会工作宣传活动工作台已于 %(time)s 收到您的邮件“%(subject)s”：") % {
                 "time": f"{arrived:%Y-%m-%d %H:%M}", "subject": message.subject}]
    lines += ["  " + _line(a) for a in message.attachments.select_related("deadline")]
    site = settings.CAMPAIGNDESK_SITE_URL
    if message.unit_id:
        link = site + reverse("unit_mail", kwargs={"code": message.unit.code})
        lines += ["", _("已收到%(unit)s的报送，请登录确认：%(link)s") % {
            "unit": message.unit.name, "link": link},
            _("确认前不计入报送；是否按时以邮件到达时间为准。")]
    else:
        lines += ["", _("发件邮箱尚未登记为报送单位的邮箱，自治区民政厅核实单位后"
                        "再请您登录确认%(site)s。") % {"site": f"（{site}/）" if site else ""}]
    lines += ["", _("本邮件由系统自动发送，请勿直接回复。")]
    return "\n".join(lines)


def acknowledge(message: MailMessage) -> bool:
    """Send the answer; True when it left."""
    message.refresh_from_db()
    if "@" not in message.sender:
        return False
    mail = EmailMessage(
        subject=_("已收到：%(subject)s") % {"subject": message.subject or _("（无主题）")},
        body=text_of(message), from_email=settings.DEFAULT_FROM_EMAIL, to=[message.sender],
        headers={"Auto-Submitted": "auto-replied"})
    if not message.message_id.startswith("<sha256:"):
        mail.extra_headers |= {"In-Reply-To": message.message_id,
                               "References": message.message_id}
    try:
        mail.send()
    except OSError:
        logger.exception("回复邮件发送失败：%s", message.sender)
        return False
    MailMessage.objects.filter(pk=message.pk).update(replied_at=timezone.now())
    return True
