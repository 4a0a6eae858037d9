from campaigndesk.core.addresses import client_address

from .context import Origin, reset_origin, set_origin

__all__ = ["AuditContextMiddleware", "client_address"]


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(Origin(address=client_address(request)))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
