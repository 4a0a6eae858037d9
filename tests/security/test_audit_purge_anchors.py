"""Issue 12 point 14, second pass: a purge may only remove the oldest entries.

An outside tester took a backup's database, dropped the DELETE trigger, deleted entry 62,
appended through the ORM an `audit.purge` entry whose `chain_anchors` named entry 63 with
its stored link, recreated the trigger, and `verify_audit --manifest` said "审计日志完整":
anchors were accepted from any purge entry for any position. Now an anchor only covers the
first remaining entry, from an entry shaped as the purge service writes it, and a gap
anywhere else is a break named with the first missing id.
"""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from campaigndesk.audit import chain
from campaigndesk.audit.models import AuditEntry
from campaigndesk.audit.services import record
from tests.security.test_audit_chain import log, verify, without_triggers  # noqa: F401


def manifest_now(tmp_path) -> str:
    """A manifest as `backup` writes it: the newest entry and the number of entries."""
    head = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"audit_head": head, "audit_count": AuditEntry.objects.count()}))
    return str(path)


def verify_audit(**options) -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, **options)
    return out.getvalue()


def forged_purge_entry(anchor: AuditEntry, *, shaped=True) -> None:
    """The tester's append through the ORM; `shaped` also copies every field the purge
    service writes, as someone who read purge_audit.py would."""
    changes = {"chain_anchors": [{"id": anchor.pk, "prev_hash": anchor.prev_hash}]}
    if shaped:
        changes |= {"deleted": 1, "removed_through": anchor.pk - 1, "days": 180}
    AuditEntry(action="audit.purge", changes=changes,
               actor_username=chain.PURGE_ACTOR if shaped else "").save()


@pytest.mark.django_db
@pytest.mark.parametrize("shaped", [False, True])
def test_the_testers_forgery_deleting_a_middle_entry_is_named(log, tmp_path, shaped):  # noqa: F811
    manifest = manifest_now(tmp_path)
    removed, following = AuditEntry.objects.order_by("id")[8:10]
    without_triggers("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])
    forged_purge_entry(following, shaped=shaped)
    state = verify()
    assert state.broken_id == following.pk and state.missing_id == removed.pk
    for options in ({}, {"manifest": manifest}):
        with pytest.raises(CommandError, match=f"第 {removed.pk} 条起的记录被删除"):
            verify_audit(**options)


@pytest.mark.django_db
def test_an_edited_middle_entry_with_the_next_anchored_is_named(log):  # noqa: F811
    """Rewriting an entry and its own hash (a valid entry by itself) breaks the link of the
    next one; a purge entry anchoring that next one does not mend it."""
    target, following = AuditEntry.objects.order_by("id")[5:7]
    values = {name: getattr(target, name) for name in chain.FIELDS} | {"message": "改过"}
    without_triggers("UPDATE audit_auditentry SET message = %s, hash = %s WHERE id = %s",
                     ["改过", chain.digest(values, target.prev_hash), target.pk])
    forged_purge_entry(following)
    state = verify()
    assert state.broken_id == following.pk and "衔接不上" in state.reason
    with pytest.raises(CommandError, match=f"第 {following.pk} 条"):
        verify_audit()


@pytest.mark.django_db
def test_a_forged_prefix_deletion_disagrees_with_the_backups_count(log, tmp_path):  # noqa: F811
    """Deleting the oldest entries and writing a purge-shaped entry fools the chain alone;
    the backup's count of entries does not agree with what that entry claims."""
    manifest = manifest_now(tmp_path)
    entries = list(AuditEntry.objects.order_by("id")[:4])
    without_triggers("DELETE FROM audit_auditentry WHERE id <= %s", [entries[-1].pk])
    first = AuditEntry.objects.order_by("id").first()
    forged_purge_entry(first)  # claims 1 removed, 4 were
    assert verify().intact
    with pytest.raises(CommandError, match="清理记录说明删除 1 条"):
        verify_audit(manifest=manifest)


@pytest.mark.django_db
def test_a_real_purge_removes_a_prefix_and_passes_with_the_manifest(tmp_path):
    now = timezone.now()
    for days in (400, 300, 200, 10, 1):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            record(None, "test.entry", message=f"{days} 天前")
    manifest = manifest_now(tmp_path)
    with time_machine.travel(now, tick=False):
        call_command("purge_audit", stdout=io.StringIO())
    kept = list(AuditEntry.objects.order_by("id").values_list("message", flat=True))
    assert kept == ["10 天前", "1 天前", "清理 180 天前的审计记录 3 条"]
    purge = AuditEntry.objects.get(action="audit.purge")
    first = AuditEntry.objects.order_by("id").first()
    assert purge.changes["chain_anchors"] == [{"id": first.pk, "prev_hash": first.prev_hash}]
    assert purge.changes["deleted"] == 3 and purge.changes["removed_through"] < first.pk
    assert "审计日志完整" in verify_audit(manifest=manifest)
