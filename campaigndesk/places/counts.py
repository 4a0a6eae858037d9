"""Signage progress per unit in a campaign (issue 16 point 4), one definition for the
dashboard, the consolidated workbook and the summary draft.

A place counts under every unit it reports to (report_path), so the participating bureaus'
figures add up to the region's: each place is under exactly one bureau.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from campaigndesk.campaigns.models import Campaign
from campaigndesk.units.models import Unit

from .models import Place, PosterPrint, Signage


class SignageLine(NamedTuple):
    # A tuple, not a frozen dataclass: the dashboard makes one per participating unit,
    # 40,000 at national scale, and a frozen dataclass costs five times more to make.
    name: str
    places: int  # registered (the register is not per campaign)
    posters: int  # places with a poster generated in the campaign
    confirmed: int  # places whose posted sign was photographed in the campaign

    @property
    def percent(self) -> int:
        return round(self.confirmed * 100 / self.places) if self.places else 0

    def text(self) -> str:
        return (f"登记服务场所{self.places}个，已生成海报{self.posters}个，"
                f"确认张贴标识{self.confirmed}个")


def signage_lines(campaign: Campaign, units: Iterable[Unit]) -> list[tuple[Unit, SignageLine]]:
    # Each place is added to every unit on its path once, so 40,000 units cost a look-up
    # each, not a pass over every place.
    posters = set(PosterPrint.objects.filter(campaign=campaign).values_list("place_id",
                                                                             flat=True))
    confirmed = set(Signage.objects.filter(campaign=campaign).values_list("place_id",
                                                                          flat=True))
    counts: dict[str, list[int]] = {}
    for pk, path in Place.objects.values_list("pk", "unit__report_path"):
        for end in range(1, len(path)):
            if path[end] == "/":
                line = counts.setdefault(path[:end + 1], [0, 0, 0])
                line[0] += 1
                line[1] += pk in posters
                line[2] += pk in confirmed
    return [(unit, SignageLine(unit.name, *counts.get(unit.report_path, (0, 0, 0))))
            for unit in units]


def total(lines: Sequence[tuple[Unit, SignageLine]]) -> SignageLine:
    return SignageLine("合计", sum(line.places for _u, line in lines),
                       sum(line.posters for _u, line in lines),
                       sum(line.confirmed for _u, line in lines))


SHEET_HEADERS = ("单位", "登记服务场所", "已生成海报", "确认张贴标识", "张贴率（%）")


def signage_sheet(campaign: Campaign) -> tuple[str, Sequence[str], list[list]]:
    """The consolidated workbook's 服务场所标识 sheet: a line per participating unit and 合计."""
    lines = signage_lines(campaign, campaign.participants.order_by("code"))
    rows = [[line.name, line.places, line.posters, line.confirmed, line.percent]
            for _unit, line in [*lines, (None, total(lines))]]
    return "服务场所标识", SHEET_HEADERS, rows
