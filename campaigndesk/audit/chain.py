"""The audit log as a hash chain: each entry stores the hash of the entry before it and a
SHA-256 over its own content and that link.

The triggers (migration 0003) stop UPDATE and DELETE through the application's account,
but whoever owns the database file can drop them unseen. The chain makes such a change
visible afterwards: an edited entry no longer matches its hash, a removed or inserted one
breaks the link of the next, and an entry appended with an earlier time than the one
before it (a backdated forgery) breaks the order of times. `verify` names the first entry
where the chain breaks (`campaigndesk verify_audit`, the auditor's page).

Appends are serialised so that two writers never take the same predecessor: on SQLite the
transaction's BEGIN IMMEDIATE already holds the database's one write lock, on PostgreSQL a
transaction-level advisory lock is taken. Either is held until the writer's transaction
commits, so the predecessor read under it is always the last committed entry.

The purge of entries older than the retention period (purge_audit) removes the chain's
beginning: its own entry names each entry whose predecessor it removed ("anchors"), and the
chain is taken to start there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

GENESIS = "0" * 64
# The key of PostgreSQL's advisory lock for appends (any constant no other code uses).
PG_LOCK_KEY = 0x4175_6469_7443_6861  # "AuditCha"
# Clocks of separate processes can differ a little; more than this backwards is a break.
CLOCK_SLACK = timedelta(minutes=5)
# The fields the hash covers, in the order of the model.
FIELDS = ("at", "actor_id", "actor_username", "address", "action", "object_type",
          "object_id", "object_repr", "changes", "message")


def plain_changes(changes: Any) -> Any:
    """The changes exactly as they will read back from the database: JSON types only, and
    floats as text (PostgreSQL's jsonb may write 1e20 back as 100000000000000000000)."""
    def walk(value):
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dict):
            return {str(k): walk(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return value
    return json.loads(json.dumps(walk(changes), ensure_ascii=False))


def digest(values: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over a canonical serialisation of the entry's content and its link."""
    at: datetime = values["at"]
    content = {name: values[name] for name in FIELDS}
    content["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    content["prev_hash"] = prev_hash
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lock_for_append(connection) -> None:
    """Serialise appends until the current transaction ends (must be inside one)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
    # SQLite: BEGIN IMMEDIATE took the write lock when the transaction began.


@dataclass(frozen=True)
class ChainState:
    count: int
    broken_id: int | None = None
    broken_at: datetime | None = None
    reason: str = ""
    head_id: int | None = None
    head_hash: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def anchors(entries) -> set[tuple[int, str]]:
    """(entry id, its prev_hash) of every entry whose predecessor a purge removed."""
    found = set()
    for changes in entries.filter(action="audit.purge").values_list("changes", flat=True):
        for anchor in (changes or {}).get("chain_anchors", []):
            found.add((int(anchor["id"]), anchor["prev_hash"]))
    return found


def verify(entries) -> ChainState:
    """Walk `entries` (the AuditEntry manager) in insertion order; the first break wins."""
    allowed_gaps = anchors(entries)
    previous_hash, previous_at, count, last_id = None, None, 0, None
    rows = entries.order_by("id").values_list("id", "prev_hash", "hash", *FIELDS)
    for row in rows.iterator(chunk_size=2000):
        pk, prev_hash, stored_hash, *content = row
        values = dict(zip(FIELDS, content, strict=True))
        reason = ""
        if prev_hash != (previous_hash or GENESIS) and (pk, prev_hash) not in allowed_gaps:
            reason = ("与前一条记录衔接不上：其前的记录被删除，或这是一条插入的记录"
                      if previous_hash is not None else "日志开头的记录被删除")
        elif digest(values, prev_hash) != stored_hash:
            reason = "记录内容与其校验值不符：记录被改动过"
        elif previous_at is not None and values["at"] < previous_at - CLOCK_SLACK:
            reason = "记录时间早于前一条：疑似事后补写的记录"
        if reason:
            return ChainState(count, pk, values["at"], reason)
        previous_hash, previous_at, last_id = stored_hash, values["at"], pk
        count += 1
    return ChainState(count, head_id=last_id, head_hash=previous_hash or "")
