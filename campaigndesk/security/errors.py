"""Every error a user can meet, in Chinese and in one place.

- 400/403/404/413/500 pages (the handlers named in campaigndesk/urls.py) and the CSRF
  refusal (CSRF_FAILURE_VIEW); htmx requests get the sentence as plain text, which the
  page script shows.
- A database busy with another writer (SQLite "database is locked" after the busy timeout,
  PostgreSQL's lock timeout, a deadlock) answers 503 "please try again" with what the user
  typed kept: a form's fields come back as a "submit again" button.
- Parameters no form could want are refused with a 400 before any view reads them: NUL
  characters (PostgreSQL cannot store them; the forms refuse them, code reading raw
  parameters did not) — except the posts of a view marked `checks_text`, whose forms
  refuse them naming the field (core.textforms), and numbers too large for SQLite
  (OverflowError on a lookup).
- The audit log records 403/404 on URLs naming an object, and server errors.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import DatabaseError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import refusals
from .middleware import limit_message, refused

logger = logging.getLogger("campaigndesk.errors")

NUL_REFUSED = gettext_lazy("提交的内容含有不可见的控制字符（NUL），请删除后重新提交")
TOO_LARGE_NUMBER = gettext_lazy("提交的数字超出范围，请检查后重新填写")
BUSY = gettext_lazy("系统繁忙，请稍后再试：刚才的操作没有保存，您填写的内容仍保留在页面上")
# SQLSTATEs of PostgreSQL meaning "another transaction is in the way": lock_not_available
# (lock_timeout), deadlock_detected, serialization_failure.
PG_BUSY = {"55P03", "40P01", "40001"}
SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
# Fields never written back into a page, whatever form they come from.
SECRET_FIELDS = ("password", "otp", "secret", "csrfmiddlewaretoken")
MAX_KEPT_FIELDS = 2000
# Expected refusals: Django's own handlers answer them, they are no server error.
REFUSALS = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)


def is_database_busy(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in PG_BUSY or getattr(cause, "pgcode", None) in PG_BUSY:
        return True
    return any(text in str(exc).lower() for text in SQLITE_BUSY)


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    message = limit_message(exception) or _("请求无法处理，请返回上一页后重试")
    return refused(request, message, 400)


def permission_denied(request, exception=None):
    if _htmx(request):
        return _text(_("您的账号没有进行此操作的权限"), 403)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a missing or stale token, in Chinese (never Django's debug page
    with the reason and settings)."""
    logger.warning("CSRF refused: %s %s (%s)", request.method, request.path, reason)
    return refused(request, _("页面已过期或缺少安全校验信息：请刷新页面后重新提交"), 403)


def page_not_found(request, exception=None):
    if _htmx(request):
        return _text(_("页面不存在，或不在您的权限范围内"), 404)
    return render(request, "404.html", status=404)


def server_error(request):
    """No database, no request context: this page must render whatever went wrong."""
    message = _("系统出错，请稍后再试；问题已记录，如反复出现请联系自治区民政厅慈善社工处")
    if _htmx(request):
        return _text(message, 500)
    try:
        body = loader.get_template("500.html").render({"message": message})
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        body = message
    return HttpResponseServerError(body)


def kept_fields(request) -> list[tuple[str, str]] | None:
    """The posted fields to send again, or None when they cannot be (files, too many)."""
    if request.method != "POST" or request.FILES:
        return None
    fields = [(name, value) for name in request.POST
              if not any(word in name.lower() for word in SECRET_FIELDS)
              for value in request.POST.getlist(name)]
    return fields if len(fields) <= MAX_KEPT_FIELDS else None


def busy_response(request):
    if _htmx(request):
        response = _text(str(BUSY), 503)
    else:
        try:
            response = render(request, "503.html", {
                "message": BUSY, "fields": kept_fields(request),
                "had_files": request.method == "POST" and bool(request.FILES),
                "action": request.get_full_path()}, status=503)
        except DatabaseError:
            response = _text(str(BUSY), 503)
    response["Retry-After"] = "10"
    return response


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _record(request, action: str, changes: dict, message: str) -> None:
    """Write the entry, but never let a failing write replace the answer."""
    from campaigndesk.audit.services import record

    try:
        record(_actor(request), action, changes=changes, message=message)
    except DatabaseError:
        logger.exception("could not audit %s %s", action, request.path)


def audit_refusal(request, status: int) -> None:
    """403/404 on a URL that names an object (a pk, a code, a key): someone tried it.

    A refusal is often a GET: it must not wait for the database's write lock (another
    writer may hold it for seconds) nor let one client add rows without limit. So at most
    one entry per client and URL per minute, and the entry is dropped (and logged) when
    the lock is not free at once."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.kwargs or getattr(match.func, "session_passive", False):
        return
    if not refusals.first_in_window(request, status):
        return
    action = "access.denied" if status == 403 else "access.not_found"
    changes = {"path": request.path[:300], "method": request.method}
    message = f"{request.method} {request.path[:200]} → {status}"
    from campaigndesk.audit.services import record

    try:
        with refusals.without_waiting():
            record(_actor(request), action, changes=changes, message=message)
    except DatabaseError as exc:
        logger.warning("refusal not audited (database busy): %s (%s)", message, exc)


def audit_server_error(request, exc: BaseException) -> None:
    _record(request, "server.error",
            {"path": request.path[:300], "method": request.method,
             "error": type(exc).__name__},
            f"{request.method} {request.path[:200]}：{type(exc).__name__}")


class ErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            audit_refusal(request, response.status_code)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A view whose forms refuse control characters themselves (core.textforms) gets the
        # posted NUL, so that the form names the field and keeps what was typed.
        posted = () if getattr(view_func, "checks_text", False) else (request.POST,)
        for query in (request.GET, *posted):
            for name, values in query.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return refused(request, str(NUL_REFUSED), 400)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            # A lookup with a number beyond 64 bits (SQLite cannot bind it), e.g. a pk
            # typed into a multiple choice: no such row can exist.
            return refused(request, str(TOO_LARGE_NUMBER), 400)
        if is_database_busy(exception):
            logger.warning("database busy: %s %s (%s)", request.method, request.path, exception)
            return busy_response(request)
        if isinstance(exception, REFUSALS):
            return None
        audit_server_error(request, exception)
        if not settings.DEBUG or not settings.DEMO_MODE:
            # Production: Django logs it and answers with server_error; a developer with
            # DEBUG on gets the technical page.
            return None
        # The demo is shown to people trying the product: no technical page for them. Log
        # and signal as Django would (the test client re-raises on the signal).
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        signals.got_request_exception.send(sender=None, request=request)
        return server_error(request)
