"""Requests per token per minute, counted in Django's cache (a fixed one-minute window).

With several server processes and the default per-process cache each process counts on
its own; a shared cache (CACHES) makes the limit exact."""

import time

from django.conf import settings
from django.core.cache import cache

from .models import ApiToken


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def check_rate(token: ApiToken, now: float | None = None) -> None:
    """Count this request; RateLimited (with the seconds to wait) once over the limit."""
    now = time.time() if now is None else now
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > settings.API_RATE_LIMIT_PER_MINUTE:
        raise RateLimited(max(1, 60 - int(now % 60)))
