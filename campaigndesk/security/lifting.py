"""Lifting a lock early (an account lock or an address block), one way for both."""

from django.db import transaction
from django.utils import timezone

from campaigndesk.audit.services import record

from .models import Lock


@transaction.atomic
def lift(by, lock: Lock, *, action: str, message: str, operator: str = "") -> Lock:
    """Mark the lock lifted by `by` (None: the operator at the command line, named by
    `operator`) and audit it; a lock already lifted stays as it was."""
    lock = type(lock).objects.select_for_update().get(pk=lock.pk)
    if lock.unlocked_at is not None:
        return lock
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = by
    lock.save(update_fields=["unlocked_at", "unlocked_by"])
    record(by, action, lock, username=operator,
           changes={"locked_until": timezone.localtime(lock.until).isoformat()},
           message=message)
    return lock
