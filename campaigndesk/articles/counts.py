"""Per-unit counts of briefs for the department (the campaign overview and review page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Article, Channel, State


@dataclass
class UnitCounts:
    unit: object
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    typical: int = 0
    recommended: int = 0
    channels: list[int] = field(default_factory=list)


def unit_counts(campaign) -> list[UnitCounts]:
    """One row per participating unit: briefs submitted (ever), now returned for changes,
    accepted, typical, published per channel, recommended to the ministry. A brief of a
    county counts for the reporting unit above it."""
    sent = Article.objects.live().filter(campaign=campaign).exclude(state=State.DRAFT)
    aggregates = {
        "submitted": Count("pk", distinct=True),
        "returned": Count("pk", filter=Q(state=State.RETURNED), distinct=True),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False), distinct=True),
        "typical": Count("pk", filter=Q(typical_at__isnull=False), distinct=True),
        "recommended": Count("pk", filter=Q(recommended_at__isnull=False), distinct=True),
    }
    for channel in Channel.values:
        aggregates[channel] = Count("publications", filter=Q(publications__channel=channel),
                                    distinct=True)
    # One query, one line per unit that sent briefs; each participant then sums the lines
    # of its part of the map (its report_path prefix). A brief and a publication belong to
    # one unit, so the distinct counts of the lines add up to the distinct count of the sum.
    names = list(aggregates)
    lines = [(values["unit__report_path"], [values[name] for name in names])
             for values in sent.order_by().values("unit__report_path").annotate(**aggregates)]
    rows = []
    for unit in campaign.participants.order_by("code"):
        sums = dict.fromkeys(names, 0)
        for path, counts in lines:
            if path.startswith(unit.report_path):
                for name, count in zip(names, counts, strict=True):
                    sums[name] += count
        rows.append(UnitCounts(
            unit=unit,
            submitted=sums["submitted"],
            returned=sums["returned"],
            accepted=sums["accepted"],
            typical=sums["typical"],
            recommended=sums["recommended"],
            channels=[sums[c] for c in Channel.values]))
    return rows


def totals(rows: list[UnitCounts]) -> UnitCounts:
    total = UnitCounts(unit=None, channels=[0] * len(Channel.values))
    for row in rows:
        for name in ("submitted", "returned", "accepted", "typical", "recommended"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.channels = [a + b for a, b in zip(total.channels, row.channels, strict=True)]
    return total
