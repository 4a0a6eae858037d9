"""What a bureau does for its cascade besides opening it (campaigns.cascade.open_cascade):
county accounts and 催报. Each function checks the bureau's permission, runs in one
transaction and writes an audit entry (the account's own comes from units.accounts)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Cascade, CascadeDeadline
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.oversight import manual, reminders
from campaigndesk.oversight.models import ReminderKind
from campaigndesk.units import accounts
from campaigndesk.units.models import Role, Unit, User
from campaigndesk.units.permissions import Action, allows

from .figures import missing_members


def add_account(by, cascade: Cascade, *, unit: Unit, username: str, password: str,
                role: str = Role.REPORTER, full_name: str = "", phone: str = "",
                email: str = "") -> User:
    """A reporter for one of the bureau's members, or a 盟市审核员 of the bureau itself,
    through the one account service (units.accounts.create_account), scoped to the
    bureau's subtree."""
    if not allows(by, Action.RUN_CASCADE, cascade.bureau):
        raise PermissionDenied
    if role == Role.REPORTER:
        if not cascade.members.filter(pk=unit.pk).exists():
            message = _("“%(name)s”未参加本局组织的活动，请先在“参加的旗县区”中选择")
            raise ValidationError({"unit": message % {"name": unit.name}})
    elif role == Role.BUREAU_REVIEWER:
        if unit.pk != cascade.bureau_id:
            raise ValidationError({"unit": _("盟市审核员只能绑定本局")})
    else:
        raise ValidationError({"role": _("这里只能添加单位填报员或盟市审核员")})
    return accounts.create_account(by, username=username, password=password, role=role,
                                   unit=unit, full_name=full_name, phone=phone, email=email)


def subtree_accounts(cascade: Cascade):
    return (User.objects.filter(unit__in=Unit.objects.under(cascade.bureau))
            .select_related("unit").order_by("unit__report_path", "username"))


def _builder(text: str, due: CascadeDeadline):
    """The 催报 text filled with the bureau's internal deadline, not the region's."""
    fill_with = manual.message_for(text)

    def build(deadline, unit, now: datetime, link: str) -> reminders.Message:
        return fill_with(due, unit, now, link)
    return build


def remind_members(by, cascade: Cascade, due: CascadeDeadline, *, text: str = manual.DEFAULT_TEXT,
                   now: datetime | None = None) -> list[tuple[Unit, list[reminders.Outcome]]]:
    """催报 of the bureau: every member still missing for the internal deadline, on every
    channel (notice, mail, text message), never twice within the hour (the reminder
    service's claim)."""
    if not allows(by, Action.REMIND_CASCADE, cascade.bureau):
        raise PermissionDenied
    ensure_open(cascade.campaign_id)
    now = now or timezone.now()
    text = manual.clean_text(text)
    missing = missing_members(cascade, due)
    with_sms = reminders.settings_for(cascade.campaign).send_sms
    results = [(unit, reminders.remind_unit(
        due.deadline, unit, ReminderKind.MANUAL, manual.hour_stamp(now), now=now, by=by,
        with_sms=with_sms, compose_with=_builder(text, due))) for unit in missing]
    with transaction.atomic():
        record(by, "cascade.remind", due.deadline, changes={
            "units": [unit.name for unit, outcomes in results if any(o.sent for o in outcomes)]},
            message=text)
    return results
