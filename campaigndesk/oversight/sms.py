"""Text messages through a small backend interface.

The backend is named by the setting CAMPAIGNDESK_SMS_BACKEND (a dotted path to a class
with `send(phone, text)`); without it the console backend only logs, so nothing is sent by
accident. It says so (`delivers = False`): reminders then report 短信未配置 for every unit
instead of claiming a text went out. A real gateway (Aliyun, Tencent Cloud…) is one small
class with the same method.
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
    # Only writes to the log: reminders say 短信未配置 instead of claiming it went out.
    delivers = False

    def send(self, phone: str, text: str) -> None:
        logger.info("短信（未配置短信网关，仅记录）→ %s：%s", phone, text)


class MemorySmsBackend:
    """For tests: keeps what was sent in `outbox` (class-level, like Django's mail.outbox)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def _backend_class():
    return import_string(getattr(settings, "CAMPAIGNDESK_SMS_BACKEND", "") or DEFAULT_BACKEND)


def get_backend() -> SmsBackend:
    return _backend_class()()


def configured() -> bool:
    """False for a backend that only logs (the default): nothing would reach a phone."""
    return getattr(_backend_class(), "delivers", True)
