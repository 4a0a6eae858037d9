"""How long a brief's text may be, and the refusal of text no brief should hold."""

from __future__ import annotations

from django.utils.translation import gettext as _

from campaigndesk.core.characters import control_message
from campaigndesk.proofing.text import count_chars

# A brief is about 500 字 (the notice asks for 简讯; campaigns set 350–700). Ten thousand is
# twenty briefs pasted into one: past that it is a mistake (a whole report, a file pasted
# twice), and the proofreader, which the page runs as the writer types, would take seconds.
# Below this bound every character is proofread; nothing is cut silently.
BODY_MAX_CHARS = 10_000


def body_too_long(body: str) -> str | None:
    """The refusal of a body over the bound (counted as WPS/Word count 字数), or None."""
    count = count_chars(body)
    if count <= BODY_MAX_CHARS:
        return None
    return _("“正文”共 %(count)s 字，超过 %(limit)s 字的上限（一篇简讯约 500 字）："
             "请删减，或分成几篇稿件后再保存") % {
        "count": f"{count:,}", "limit": f"{BODY_MAX_CHARS:,}"}


def text_problem(label: str, value: str) -> str | None:
    """Why a text of the brief cannot be stored as it is (its field named), or None."""
    return control_message(value, label)
