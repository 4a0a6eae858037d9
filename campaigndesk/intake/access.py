"""Finding a mail or an attachment for a user, through units.permissions; 404 outside
their reach (a mail's existence is not revealed).

Region users who sort the mailbox (Action.SORT_MAIL) see every mail; a unit's people see
the mails filed for their unit, as they see its other pages (Action.VIEW_UNIT). A mail
without a unit is the region's alone.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigndesk.units.permissions import Action, allows

from .models import MailAttachment, MailMessage


def may_see(user, message: MailMessage) -> bool:
    if allows(user, Action.SORT_MAIL):
        return True
    return message.unit is not None and allows(user, Action.VIEW_UNIT, message.unit)


def message_or_404(user, pk: int) -> MailMessage:
    message = get_object_or_404(MailMessage.objects.select_related("unit"), pk=pk)
    if not may_see(user, message):
        raise Http404
    return message


def attachment_or_404(user, pk: int) -> MailAttachment:
    attachment = get_object_or_404(
        MailAttachment.objects.select_related("message__unit", "campaign", "deadline"), pk=pk)
    if not may_see(user, attachment.message):
        raise Http404
    return attachment


def may_confirm(user, attachment: MailAttachment) -> bool:
    unit = attachment.message.unit
    if unit is None:
        return False
    action = (Action.EDIT_UNIT_DATA if attachment.kind == "table"
              else Action.WRITE_ARTICLES)
    return allows(user, action, unit)


def may_handle(user, message) -> bool:
    """Set a mail's files aside or discard them: the region's sorters, or the unit's own."""
    unit = message.unit
    return allows(user, Action.SORT_MAIL) or (
        unit is not None and allows(user, Action.EDIT_UNIT_DATA, unit))


def may_set_aside(user, attachment: MailAttachment) -> bool:
    return may_handle(user, attachment.message)
