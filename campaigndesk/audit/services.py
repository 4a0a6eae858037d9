"""Writing the audit trail. Every service that changes data calls `record`."""

from typing import Any

from django.db import models

from .context import current_origin
from .models import AuditEntry

# Field names whose values never reach the log, whatever the caller passes.
MASKED_FIELDS = {"password", "token", "secret", "otp"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return mask(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def mask(changes: dict[str, Any]) -> dict[str, Any]:
    clean = {}
    for key, value in changes.items():
        if any(word in key.lower() for word in MASKED_FIELDS):
            clean[key] = "******"
        elif isinstance(value, dict):
            clean[key] = mask(value)
        else:
            clean[key] = _plain(value)
    return clean


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    message: str = "",
    username: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it describes, so that
    the change and its entry are saved together or not at all."""
    real_actor = actor if getattr(actor, "pk", None) else None
    origin = current_origin()
    changes = changes or {}
    if origin.via_token:
        # Not under a key with "token" in it: mask() would hide the name.
        changes = {**changes, "via_api": origin.via_token}
        message = f"{message}（API令牌“{origin.via_token}”）" if message \
            else f"通过API令牌“{origin.via_token}”"
    return AuditEntry.objects.create(
        actor=real_actor,
        actor_username=username or (real_actor.get_username() if real_actor else ""),
        address=origin.address,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=mask(changes),
        message=message,
    )
