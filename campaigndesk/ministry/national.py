"""The national page's figures: provinces × the five sums of attachment 1, from the
packages as imported (one per province and year)."""

from __future__ import annotations

from dataclasses import dataclass

from campaigndesk.progress.table import Totals

from .models import ProvinceFigure, ProvincePackage


def package_totals(package: ProvincePackage) -> Totals:
    return Totals(package.activities, package.participants, package.beneficiaries,
                  package.funds_fen, package.materials_fen)


def years() -> list[int]:
    return sorted(set(ProvincePackage.objects.values_list("year", flat=True)), reverse=True)


@dataclass
class National:
    year: int | None
    packages: list[ProvincePackage]
    rows: list[tuple[ProvincePackage, Totals]]
    total: Totals
    reporting_units: int


def national(year: int | None) -> National:
    packages = list(ProvincePackage.objects.filter(year=year).order_by("province_code")
                    .prefetch_related("briefs__photos")) if year else []
    rows = [(package, package_totals(package)) for package in packages]
    total = sum((t for _, t in rows), Totals())
    return National(year, packages, rows, total, sum(p.reporting_units for p in packages))


def unit_round_table(package: ProvincePackage) -> tuple[list[str], list[tuple[str, list[Totals],
                                                                              Totals]]]:
    """(round titles, [(unit name, totals per round, unit total)]) of one province."""
    figures = list(ProvinceFigure.objects.filter(package=package))
    rounds = sorted({(f.round_number, f.round_title) for f in figures})
    numbers = [number for number, _ in rounds]
    units: dict[str, tuple[str, dict[int, Totals]]] = {}
    for f in figures:
        name, by_round = units.setdefault(f.unit_code, (f.unit_name, {}))
        by_round[f.round_number] = Totals(f.activities, f.participants, f.beneficiaries,
                                          f.funds_fen, f.materials_fen)
    table = []
    for code in sorted(units):
        name, by_round = units[code]
        cells = [by_round.get(number, Totals()) for number in numbers]
        table.append((name, cells, sum(cells, Totals())))
    return [title for _, title in rounds], table
