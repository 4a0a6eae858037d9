"""Personal data on screen: a reporter's mobile number shows in full only to the unit
itself and to region administrators; everyone else sees 138****1234."""

from campaigndesk.units.permissions import Action, allows


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def may_see_phone(user, unit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if allows(user, Action.MANAGE_ACCOUNTS):
        return True
    return unit is not None and user.unit_id is not None and user.unit_id == unit.pk


def phone_for(user, unit, phone: str) -> str:
    return phone if may_see_phone(user, unit) else mask_phone(phone)
