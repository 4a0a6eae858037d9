"""Offline proofreading of Chinese news briefs for the social-work publicity campaign.

`check(title, body, context=...)` returns a `Report` whose findings carry offsets into
`title + "\\n" + body`. This package never imports Django.
"""

from __future__ import annotations

from .engine import check, warm_up
from .report import CATEGORIES, Context, Finding, Mention, Report

__all__ = ["CATEGORIES", "Context", "Finding", "Mention", "Report", "check", "warm_up"]
