"""Data shapes shared by every check: the context a brief is read in, findings and the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Literal

Category = Literal["length", "element", "typo", "wording", "sensitive", "punctuation", "number"]
Severity = Literal["error", "warning"]
CATEGORIES: tuple[Category, ...] = (
    "length", "element", "typo", "wording", "sensitive", "punctuation", "number",
)
ELEMENT_KINDS = ("time", "place", "recipients", "participants")
# 约500字: the bounds a campaign starts with (Campaign.brief_*_length) and the engine's
# defaults. 350 keeps every brief of the clean corpus (375–528 characters) inside.
DEFAULT_TARGET_LENGTH = 500
DEFAULT_MIN_LENGTH = 350
DEFAULT_MAX_LENGTH = 700


@dataclass(frozen=True)
class Finding:
    category: Category
    severity: Severity
    start: int  # offsets in title + "\n" + body
    end: int
    text: str
    suggestion: str | None
    message: str
    # How sure the engine is (rules and the hand-kept lists: 1.0). For a guess of the
    # language model, its log10 scores of the clause as written and as suggested.
    confidence: float = 1.0
    score_written: float | None = None
    score_suggested: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """One element found in the brief (a time, a place, a recipient group, a participant)."""

    kind: str
    start: int
    end: int
    text: str
    vague: bool = False


@dataclass(frozen=True)
class Context:
    """What the checker knows beyond the text; every field is optional.

    The unit's part of the map is either given as `allowed_places` (names the caller
    resolved itself) or looked up from `unit_code` in the bundled division list.
    """

    campaign_start: date | None = None
    campaign_end: date | None = None
    # 字数 bounds (non-space characters, as WPS/Word count): attachment 2 asks 约500字.
    min_length: int = DEFAULT_MIN_LENGTH
    max_length: int = DEFAULT_MAX_LENGTH
    target_length: int = DEFAULT_TARGET_LENGTH
    today: date | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    allowed_places: frozenset[str] | None = None
    activity_start: date | None = None
    activity_end: date | None = None
    activity_place: str | None = None
    # Figures from the unit's progress table (attachment 1): keys "participants",
    # "beneficiaries", "funds_yuan", "goods_yuan".
    activity_figures: Mapping[str, float] = field(default_factory=dict)
    extra_sensitive: tuple[str, ...] = ()
    sensitive_file: str | None = None
    # The campaign's own words (its lists, unit and activity names): never taken for
    # typos, and offered as corrections.
    vocabulary: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        for d in (self.campaign_start, self.activity_start, self.today):
            if d is not None:
                return d.year
        return None


@dataclass
class Report:
    title: str
    body: str
    length: int
    elements: dict[str, list[Mention]]
    findings: list[Finding]

    @property
    def text(self) -> str:
        return self.title + "\n" + self.body

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `check_article --json`."""
        return {
            "title": self.title,
            "length": self.length,
            "elements": {k: [m.text for m in self.elements.get(k, [])] for k in ELEMENT_KINDS},
            "findings": [f.to_dict() for f in self.findings],
        }
