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

The purge of entries older than the retention period (purge_audit) removes only the
chain's beginning (the oldest entries, a prefix in insertion order). Its own entry, chained
like any other, names the one kept entry whose predecessor it removed (the "anchor"), the
last removed id and the count. An anchor is accepted only for the first remaining entry and
only from an entry shaped as the purge service writes it, later in the chain: a gap anywhere
else (an entry deleted in the middle and "explained" by a forged purge entry) is a break
named with the first missing id.
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


PURGE_ACTION = "audit.purge"
PURGE_ACTOR = "system"


@dataclass(frozen=True)
class ChainState:
    count: int
    broken_id: int | None = None
    broken_at: datetime | None = None
    reason: str = ""
    head_id: int | None = None
    head_hash: str = ""
    first_id: int | None = None
    # The first id missing before the broken entry, when ids show a gap there.
    missing_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def purge_claim(changes: Any) -> dict | None:
    """What a purge entry says it removed, if shaped as purge_audit writes it: exactly one
    anchor {id, prev_hash}, the last removed id (below the anchor) and a positive count."""
    if not isinstance(changes, dict):
        return None
    anchors, through, deleted = (changes.get("chain_anchors"), changes.get("removed_through"),
                                 changes.get("deleted"))
    if not (isinstance(anchors, list) and len(anchors) == 1 and isinstance(anchors[0], dict)):
        return None
    anchor_id, prev_hash = anchors[0].get("id"), anchors[0].get("prev_hash")
    if not all(isinstance(v, int) and not isinstance(v, bool)
               for v in (anchor_id, through, deleted)):
        return None
    if not isinstance(prev_hash, str) or through >= anchor_id or deleted < 1:
        return None
    return {"id": anchor_id, "prev_hash": prev_hash, "removed_through": through,
            "deleted": deleted}


def purge_entries(entries):
    """The entries that may carry a purge's claim: written by the purge service (no
    account, the system's name)."""
    return entries.filter(action=PURGE_ACTION, actor_id=None, actor_username=PURGE_ACTOR)


def start_anchor(entries, first_id: int) -> str | None:
    """The prev_hash the first remaining entry may carry: named by a later purge entry."""
    for changes in (purge_entries(entries).filter(id__gt=first_id)
                    .values_list("changes", flat=True)):
        claim = purge_claim(changes)
        if claim and claim["id"] == first_id:
            return claim["prev_hash"]
    return None


def verify(entries) -> ChainState:
    """Walk `entries` (the AuditEntry manager) in insertion order; the first break wins."""
    previous_hash, previous_at, count, last_id, first_id = None, None, 0, None, None
    rows = entries.order_by("id").values_list("id", "prev_hash", "hash", *FIELDS)
    for row in rows.iterator(chunk_size=2000):
        pk, prev_hash, stored_hash, *content = row
        values = dict(zip(FIELDS, content, strict=True))
        reason, missing = "", None
        if previous_hash is None:
            first_id = pk
            if prev_hash != GENESIS and prev_hash != start_anchor(entries, pk):
                reason = "日志开头的记录被删除（没有清理记录说明）"
        elif prev_hash != previous_hash:
            missing = last_id + 1 if pk > last_id + 1 else None
            reason = (f"与前一条记录衔接不上：第 {missing} 条起的记录被删除" if missing else
                      "与前一条记录衔接不上：其前的记录被删除，或这是一条插入的记录")
        if not reason and digest(values, prev_hash) != stored_hash:
            reason = "记录内容与其校验值不符：记录被改动过"
        elif not reason and previous_at is not None and values["at"] < previous_at - CLOCK_SLACK:
            reason = "记录时间早于前一条：疑似事后补写的记录"
        if reason:
            return ChainState(count, pk, values["at"], reason, first_id=first_id,
                              missing_id=missing)
        previous_hash, previous_at, last_id = stored_hash, values["at"], pk
        count += 1
    return ChainState(count, head_id=last_id, head_hash=previous_hash or "", first_id=first_id)


def manifest_problem(entries, backup: dict) -> str:
    """Compare the log with what a backup's manifest recorded; '' when they agree.

    The newest entry then must still be there unchanged, and the entries up to it must
    number what the backup counted, less what later purge entries say they removed."""
    head = backup.get("audit_head")
    if not head:
        return ""
    stored = entries.filter(pk=head["id"]).values_list("hash", flat=True).first()
    if stored != head["hash"]:
        return (f"备份时最新的第 {head['id']} 条记录"
                f"{'已不存在' if stored is None else '的校验值已变'}，此后的日志被重写过")
    if "audit_count" not in backup:
        return ""  # a backup from before counts were recorded
    removed = 0
    for changes in (purge_entries(entries).filter(id__gt=head["id"])
                    .values_list("changes", flat=True)):
        claim = purge_claim(changes)
        removed += claim["deleted"] if claim else 0
    now = entries.filter(pk__lte=head["id"]).count()
    expected = backup["audit_count"] - removed
    if now != expected:
        return (f"备份时第 {head['id']} 条及以前共 {backup['audit_count']} 条，清理记录说明删除 "
                f"{removed} 条，应余 {expected} 条，现有 {now} 条")
    return ""
