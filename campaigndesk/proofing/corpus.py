"""The labelled corpus: clean briefs and injected errors (see corpus/README in README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .report import Context

CORPUS = Path(__file__).with_name("corpus")
CAMPAIGN = (date(2022, 3, 17), date(2022, 3, 31))
TODAY = date(2022, 4, 5)  # the day the activity summary was due
# Briefs c01–c40 are used for tuning; c41–c60 (and the injections made from them) are the
# held-out part, only scored, never looked at while tuning.
HELD_OUT_FROM = 41


@dataclass(frozen=True)
class Brief:
    brief_id: str
    unit: str
    title: str
    body: str

    @property
    def part(self) -> str:
        return "held-out" if int(self.brief_id[1:]) >= HELD_OUT_FROM else "tuning"


@dataclass(frozen=True)
class Label:
    category: str
    start: int  # offsets in title + "\n" + body of the injected brief
    end: int
    text: str
    kind: str = ""  # for typos: "listed" or "unlisted"


@dataclass
class Case:
    case_id: str
    brief_id: str
    part: str
    unit: str
    title: str
    body: str
    labels: list[Label] = field(default_factory=list)
    context: dict[str, object] = field(default_factory=dict)


def load_clean(path: Path | None = None) -> list[Brief]:
    text = (path or CORPUS / "clean_briefs.txt").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n---\n")[1:]:
        head: dict[str, str] = {}
        lines = block.strip("\n").split("\n")
        while lines and ":" in lines[0] and lines[0].split(":")[0] in ("id", "unit", "title"):
            k, v = lines.pop(0).split(":", 1)
            head[k] = v.strip()
        if head:
            out.append(Brief(head["id"], head["unit"], head["title"], "\n".join(lines).strip()))
    return out


def context_for(unit: str, extra: dict[str, object] | None = None) -> Context:
    kw: dict[str, object] = {
        "campaign_start": CAMPAIGN[0], "campaign_end": CAMPAIGN[1], "today": TODAY,
        "unit_code": unit,
    }
    for k, v in (extra or {}).items():
        kw[k] = date.fromisoformat(v) if k.startswith("activity_") and k.endswith(
            ("start", "end")) else v
    return Context(**kw)  # type: ignore[arg-type]


def load_cases(path: Path | None = None) -> list[Case]:
    out = []
    for line in (path or CORPUS / "injected.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        d["labels"] = [Label(**lab) for lab in d["labels"]]
        out.append(Case(**d))
    return out
