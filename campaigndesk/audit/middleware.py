from .context import Origin, reset_origin, set_origin


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, and the deployment notes put gunicorn behind such a proxy on loopback.
    return request.META.get("REMOTE_ADDR", "")[:64]


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(Origin(address=client_address(request)))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
