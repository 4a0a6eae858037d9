"""The idle timeout, kept without writing the session on every request.

Django's own way (SESSION_SAVE_EVERY_REQUEST) writes the session row on every page, so
a database held by a long writer turned every logged-in GET into an error, and a public
page polled every minute (the screen's data.json) kept a forgotten session alive.

Here the moment of the last activity travels in a cookie signed with SECRET_KEY and bound
to the session key, renewed on each request to a page that counts as activity. The session
itself only holds the log-in time (written with the log-in), which is the fallback when the
cookie is missing: dropping the cookie can shorten a session, never lengthen it. Views
marked `@passive` (public pages, polling endpoints) neither read nor renew it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from campaigndesk.core import API_PREFIX

COOKIE = "campaigndesk_active"
LOGIN_AT = "campaigndesk_login_at"


def passive(view: Callable) -> Callable:
    """Mark a view whose requests are not user activity: public pages and polls."""
    view.session_passive = True
    return view


def _is_passive(request) -> bool:
    # The API works with tokens, never the session: a browser that is logged in and reads
    # the public /api/v1/news/ is not the user being active.
    if request.path_info.startswith(API_PREFIX):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "session_passive", False)


def _signer(request) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"campaigndesk.idle:{request.session.session_key}")


def _recently_active(request) -> bool:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return False
    try:
        _signer(request).unsign(value, max_age=settings.SESSION_IDLE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return True


def expired(request, now: float) -> bool:
    """True when the logged-in session has been idle too long, or lived too long."""
    login_at = request.session.get(LOGIN_AT, 0)
    if now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return True
    return not (_recently_active(request) or now - login_at <= settings.SESSION_IDLE_SECONDS)


@receiver(user_logged_in)
def note_login(sender, request, user, **kwargs):
    # Written with the log-in, which saves the session anyway.
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(time.time())


class IdleTimeoutMiddleware:
    """Ends sessions idle longer than SESSION_IDLE_MINUTES; renews the signed cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_passive(request):
            return self.get_response(request)
        if request.user.is_authenticated and expired(request, time.time()):
            logout(request)
            messages.info(request, _("长时间未操作，已自动退出，请重新登录"))
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.session_key:
            response.set_cookie(
                COOKIE, _signer(request).sign("1"), httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE, path=settings.SESSION_COOKIE_PATH)
        elif COOKIE in request.COOKIES:
            response.delete_cookie(COOKIE, path=settings.SESSION_COOKIE_PATH, samesite="Lax")
        return response
