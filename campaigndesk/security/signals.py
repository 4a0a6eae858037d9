from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from campaigndesk.core.addresses import client_address

from . import lockout


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    address = client_address(request) if request is not None else ""
    lockout.note_failure(credentials.get("username", ""), address,
                         attempt=getattr(request, "login_attempt", None))


@receiver(user_logged_in)
def reset_failures(sender, request, user, **kwargs):
    address = client_address(request) if request is not None else ""
    lockout.note_success(user.get_username(), address,
                         attempt=getattr(request, "login_attempt", None))
