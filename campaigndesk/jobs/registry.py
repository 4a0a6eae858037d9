"""The kinds of job the domain apps offer. An app registers its kinds in its
AppConfig.ready(); this module imports no domain app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import Job


class Step(Protocol):
    def __call__(self, percent: float, text: str) -> None: ...


@dataclass(frozen=True)
class Result:
    """What a run gives: the download name of the file it wrote to `out`, or no file and a
    line saying what was done (mail intake)."""

    filename: str | None
    summary: str = ""


@dataclass(frozen=True)
class Kind:
    name: str  # "progress.consolidated"
    label: str  # shown: "工作进展汇总表（Excel）"
    # units.permissions.Action the asker needs on the job's unit (None: region-wide): checked
    # when the job is started, and again at every look at it and its file.
    action: str
    run: Callable[["Job", IO[bytes], Step], Result]
    # Where the person goes back to from the job's page: (url name, kwargs from the job).
    back: Callable[["Job"], str] | None = None
    # Minutes between runs the worker starts by itself (no asker, no scope), or None when it
    # should not (read at every sweep, so a setting can switch it off).
    every: Callable[[], int | None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def get(name: str) -> Kind:
    return _KINDS[name]


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def label(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name
