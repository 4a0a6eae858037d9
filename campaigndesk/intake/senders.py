"""Which unit a mail is from: the units its sender's address is registered for.

An address counts where a unit registered it (UnitMailAddress, 单位报送邮箱) or where it is
the e-mail of an active reporter's account. Exactly one unit: the mail is filed for it.
None, or several (a shared provincial mailbox, a colleague who reports for two units):
the mail waits in the intake inbox until a region user says which.
"""

from django.db.models.functions import Lower

from campaigndesk.units.models import Role, Unit, User

from .models import UnitMailAddress, UnitSource


def normalise(address: str) -> str:
    return address.strip().lower()


def units_for(address: str) -> dict[int, str]:
    """{unit id: how it was found} for every active unit the address is registered for."""
    address = normalise(address)
    if not address or "@" not in address:
        return {}
    found: dict[int, str] = {}
    for unit_id in (UnitMailAddress.objects.filter(address=address, unit__is_active=True)
                    .values_list("unit_id", flat=True)):
        found[unit_id] = UnitSource.ADDRESS
    accounts = (User.objects.annotate(lower_email=Lower("email"))
                .filter(lower_email=address, is_active=True, role=Role.REPORTER,
                        unit__is_active=True).values_list("unit_id", flat=True))
    for unit_id in accounts:
        found.setdefault(unit_id, UnitSource.ACCOUNT)
    return found


def match(address: str) -> tuple[Unit | None, str, list[str]]:
    """(unit, source, codes of the candidate units when not exactly one)."""
    found = units_for(address)
    if len(found) == 1:
        ((unit_id, source),) = found.items()
        return Unit.objects.get(pk=unit_id), source, []
    codes = sorted(Unit.objects.filter(pk__in=found).values_list("code", flat=True))
    return None, "", codes
