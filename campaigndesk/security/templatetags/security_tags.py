from django import template

from campaigndesk.security.masking import mask_phone, phone_for

register = template.Library()


@register.simple_tag(takes_context=True)
def phone(context, number: str, unit) -> str:
    """{% phone report.reporter_phone report.unit %}: masked unless the viewer may see it."""
    request = context.get("request")
    return phone_for(getattr(request, "user", None), unit, number)


register.filter("mask_phone", mask_phone)
