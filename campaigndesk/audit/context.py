"""Who is acting and from where, for audit entries written deep inside services.

The middleware fills it for web requests; management commands leave the default, which
records the command line as the address.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    address: str = "命令行"
    # The API token a request came with (campaigndesk.api): every entry written while
    # serving it names the token, whichever service writes the entry.
    via_token: str = ""


COMMAND_LINE = Origin()
_current: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _current.get() or COMMAND_LINE


def set_origin(origin: Origin):
    return _current.set(origin)


def reset_origin(token) -> None:
    _current.reset(token)
