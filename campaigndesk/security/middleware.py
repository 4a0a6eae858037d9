"""Request-wide security rules: request size caps, the Content-Security-Policy header, and
the gates an authenticated user passes before any page (second factor, password change)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from . import passwords
from .otp import needs_verification

TOO_BIG = _(
    "上传内容过大：单次提交不能超过 %(limit)s MB（照片每张不超过 20 MB，统计表不超过 10 MB）")
TOO_MANY_FILES = _("一次上传的文件过多：每次最多 %(limit)s 个文件，请分批上传")
TOO_MANY_FIELDS = _("提交的内容项过多（上限 %(limit)s 项），请分批保存")


def request_max_mb() -> int:
    return settings.REQUEST_MAX_BYTES // 1024 // 1024


def limit_message(exc: Exception) -> str | None:
    """The Chinese sentence for a request over one of the caps, or None for another error."""
    if isinstance(exc, RequestDataTooBig):
        return TOO_BIG % {"limit": request_max_mb()}
    if isinstance(exc, TooManyFilesSent):
        return TOO_MANY_FILES % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exc, TooManyFieldsSent):
        return TOO_MANY_FIELDS % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    return None


def refused(request, message: str, status: int):
    # Read by api.middleware.JsonErrorsMiddleware: under /api/ this sentence becomes the
    # JSON answer's detail instead of an HTML page.
    request.api_error_text = message
    if request.headers.get("HX-Request"):
        # htmx swaps nothing on 4xx by default; the text is still readable in devtools and
        # the page script shows it (see static/campaigndesk/site.js).
        from django.http import HttpResponse

        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "400.html", {"message": message}, status=status)


class RequestLimitMiddleware:
    """Answers oversized or overfull requests with a clear Chinese page.

    It sits before CsrfViewMiddleware, which reads request.POST for the token: the errors
    Django raises while parsing (RequestDataTooBig, TooManyFilesSent) would otherwise reach
    the generic 400 handler, or the technical page in DEBUG. The body is parsed here once;
    later readers get the parsed result. The total size is checked from Content-Length
    before anything is read, because Django's own caps do not count uploaded files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return refused(request, limit_message(RequestDataTooBig()), 413)
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (parse now, inside the try)
                request.FILES  # noqa: B018
            except (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent) as exc:
                return refused(request, limit_message(exc),
                               413 if isinstance(exc, RequestDataTooBig) else 400)
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing shown to a logged-in user is kept by the browser or a cache on the way: on a
    bureau's shared computer the next person must not find the pages, tables and photos in
    the browser's cache or history (issue 12 point 18). Only what is public anyway (the
    news site, the screen) keeps its own `public` caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and \
                "public" not in response.get("Cache-Control", ""):
            from django.utils.cache import add_never_cache_headers

            del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


# Pages anyone may open whatever gate is pending: log-in, log-out, the public news site.
ALWAYS_OPEN = {"login", "logout", "news_index", "news_typical", "news_unit", "news_article",
               "news_photo"}
# Each gate opens its own page and nothing else. Until the code is given after the
# password, the session is the password's only: no enrolment over the existing phone, no
# recovery codes, no password change (issue 12 point 1). The recovery codes page opens
# under the password gate because the session has given its code by then (or has none).
GATE_PAGES = {
    "otp_verify": {"otp_verify"},
    "otp_setup": {"otp_setup"},
    "password_change": {"password_change", "password_change_done", "otp_recovery"},
}


class AccessGateMiddleware:
    """Before any other page: the second factor (when the account has one or policy requires
    it), then a forced password change (administrator-set or expired password)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        page = self._page(request)
        if user is not None and user.is_authenticated and page is not None:
            gate = needs_verification(request)
            if gate and page not in ALWAYS_OPEN | GATE_PAGES[gate]:
                return redirect(gate)
            reason = "" if gate else passwords.change_reason(user)
            if reason and page not in ALWAYS_OPEN | GATE_PAGES["password_change"]:
                from django.contrib import messages

                messages.warning(request, reason)
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _page(request) -> str | None:
        """The URL name of the page asked for; None for static and media files and for
        addresses that match nothing (they answer 404 whoever asks)."""
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None
        try:
            return resolve(path).url_name or ""
        except Resolver404:
            return None
