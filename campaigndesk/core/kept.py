"""Input kept in the browser until the server has it (static/campaigndesk/keep.js).

A page with a long form (the progress grid, a brief) keeps what is typed in the browser's
localStorage under a random token, sent with the form as ``keep_token``. Once the save
has succeeded, the redirect carries ``?saved=<token>`` and the next page, whatever it
is, removes that copy; a save that never arrived (a lost connection, a closed tab, a 503)
leaves it, and the form offers it back."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse

_TOKEN = re.compile(r"[A-Za-z0-9]{8,40}")


def keep_token(request: HttpRequest) -> str:
    """The posted token, or "" when absent or not one (it goes into a URL)."""
    token = request.POST.get("keep_token", "")
    return token if _TOKEN.fullmatch(token) else ""


def saved(response: HttpResponse, token: str) -> HttpResponse:
    """The redirect after a successful save, naming the kept copy that is now saved."""
    if token:
        location = response["Location"]
        response["Location"] = f"{location}{'&' if '?' in location else '?'}saved={token}"
    return response
