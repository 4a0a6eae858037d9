"""A write to a closed campaign that no view caught becomes a clear message, never a 500.

Pages of a closed campaign hide their write buttons, but a form opened before the campaign
was closed can still be sent: the service refuses it (services.ensure_open) and this sends
the user back to the page they came from, with the reason on top.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from campaigndesk.security.middleware import refused

from .services import CampaignClosed


class CampaignClosedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CampaignClosed):
            return None
        message = str(exception)
        back = request.headers.get("Referer", "")
        if (request.method != "POST" or request.headers.get("HX-Request")
                or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                       require_https=request.is_secure())):
            return refused(request, message, 409)
        messages.error(request, message)
        return redirect(back)
