from django import template

register = template.Library()


@register.inclusion_tag("intake/_unit_waiting.html")
def mail_waiting(unit):
    """On a unit's home page: the mailed files waiting for its confirmation, if any."""
    from campaigndesk.intake.models import AttachmentKind, AttachmentState, MailAttachment

    count = (MailAttachment.objects.filter(message__unit=unit, state=AttachmentState.PENDING)
             .exclude(kind=AttachmentKind.PHOTO).count())
    return {"unit": unit, "count": count}
