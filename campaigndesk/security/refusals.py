"""Auditing 403/404 refusals cheaply (issue 12 point 8/14): a limit per client and URL,
and a write that gives up at once instead of waiting for the database's write lock."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction

from campaigndesk.core.addresses import client_address

logger = logging.getLogger("campaigndesk.errors")

WINDOW_SECONDS = 60
# However many URLs one client tries in a minute, this many entries at most.
PER_CLIENT = 30
# How long the refusal's insert may wait for the write lock.
WAIT_MS = 200


def _client(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def first_in_window(request, status: int) -> bool:
    """True for the first refusal of this client on this URL in the window (and under the
    client's cap); repeats are not written again."""
    client = _client(request)
    path = hashlib.sha256(request.path.encode("utf-8")).hexdigest()[:32]
    if not cache.add(f"refusal:{client}:{status}:{path}", 1, WINDOW_SECONDS):
        return False
    counter = f"refusals:{client}"
    cache.add(counter, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        count = 1
    return count <= PER_CLIENT


@contextmanager
def without_waiting() -> Iterator[None]:
    """Run the insert with a busy timeout of WAIT_MS (SQLite) or lock timeout (PostgreSQL);
    the caller drops the entry when it raises."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            try:
                yield
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{WAIT_MS}ms"])
            yield
    else:
        yield
