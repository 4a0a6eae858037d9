"""Telling a unit what happened to its brief: an on-site notice and an e-mail.

The e-mail leaves only after the transaction commits, so a refused transition never mails
anyone, and a mail server that is down never undoes a transition.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notice

logger = logging.getLogger(__name__)


def notify_unit(unit, text: str, link: str = "", *, topic: str = "宣传稿件",
                campaign=None) -> Notice:
    """`topic` heads the mail's subject: 【宣传稿件】, 【工作进展】…; `campaign`, the campaign
    the notice is about (the mail names it too)."""
    if campaign is not None:
        text = f"{text}（{campaign.title}）"
    notice = Notice.objects.create(unit=unit, campaign=campaign, text=text[:300], link=link)
    recipients = sorted({u.email for u in unit.users.filter(is_active=True) if u.email})
    if recipients:
        transaction.on_commit(lambda: _mail(topic, text, link, recipients))
    return notice


def _mail(topic: str, text: str, link: str, recipients: list[str]) -> None:
    body = text + (f"\n\n查看：{link}" if link else "")
    try:
        send_mail(f"【{topic}】{text[:40]}", body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        # The on-site notice is already saved; a mail outage is logged, not raised.
        logger.exception("稿件通知邮件发送失败：%s", recipients)
