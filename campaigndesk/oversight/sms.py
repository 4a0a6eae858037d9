"""Text messages through a small backend interface.

The backend is named by the setting CAMPAIGNDESK_SMS_BACKEND (a dotted path to a class
with `send(phone, text)`); without it the console backend logs the message, so nothing is
sent by accident and the reminders still show what would have gone out. A real gateway
(Aliyun, Tencent Cloud…) is one small class with the same method.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
DEFAULT_BACKEND = "campaigndesk.oversight.sms.ConsoleSmsBackend"


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send or raise OSError; the caller records failures and retries on the next run."""


class ConsoleSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("短信（未配置短信网关，仅记录）→ %s：%s", phone, text)


class MemorySmsBackend:
    """For tests: keeps what was sent in `outbox` (class-level, like Django's mail.outbox)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def get_backend() -> SmsBackend:
    path = getattr(settings, "CAMPAIGNDESK_SMS_BACKEND", "") or DEFAULT_BACKEND
    return import_string(path)()
