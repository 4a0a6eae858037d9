"""Personal data on screen: a reporter's mobile number shows in full only to the unit
itself and to region administrators; everyone else sees 138****1234."""

import re
import unicodedata

from campaigndesk.units.permissions import Action, allows


def mask_phone(phone: str) -> str:
    """A phone number as it may be shown to someone not allowed to see it.

    A mobile number keeps its carrier prefix and its last four digits (138****1234), as
    every Chinese service shows one. A landline keeps its area code and its last two
    digits only (0471-*****72): three and four of a 7-digit local number would give it
    away whole. Full-width digits count as digits."""
    phone = unicodedata.normalize("NFKC", phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 11 and digits[-11] == "1":
        return f"{digits[-11:-8]}****{digits[-4:]}"
    area, _sep, local = phone.rpartition("-") if "-" in phone else ("", "", phone)
    local = re.sub(r"\D", "", local)
    if len(local) < 5:
        return "*" * len(phone)
    masked = "*" * (len(local) - 2) + local[-2:]
    area_digits = re.sub(r"\D", "", area)
    return f"{area_digits}-{masked}" if area_digits.startswith("0") else masked


def may_see_phone(user, unit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if allows(user, Action.MANAGE_ACCOUNTS):
        return True
    return unit is not None and user.unit_id is not None and user.unit_id == unit.pk


def phone_for(user, unit, phone: str) -> str:
    return phone if may_see_phone(user, unit) else mask_phone(phone)
