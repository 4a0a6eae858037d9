"""The region's map: divisions, their short names and which reporting unit each belongs to.

Short names come from two places: the `short_names` column of the division list, and names
derived by the rules in `derive_aliases` (written out to data/place_aliases.tsv so a reviewer
can read and correct them; `python -m campaigndesk.proofing.places` rewrites that file).
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
REGION_CODE = "150000"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # region | league | county
    geo_parent: str
    reports_to: str
    short_names: tuple[str, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def divisions() -> tuple[Division, ...]:
    out: list[Division] = []
    for i, row in enumerate(_rows(DATA / "divisions.csv")):
        # County rows without an official code get a stable synthetic one (parent + index)
        # so they can be referred to; only league codes and the two direct cities matter
        # for reporting units.
        code = row["code"] or f"{row['geo_parent']}#{i}"
        shorts = tuple(s for s in row["short_names"].split("|") if s)
        out.append(Division(code, row["name"], row["level"], row["geo_parent"],
                            row["reports_to"], shorts))
    return tuple(out)


_SIDE = re.compile(r"^(.)(?:.+?)(左翼|右翼)(前|中|后)旗$")
_FRONT = re.compile(r"^(.)(.+?)(前|中|后)旗$")
_LEFT = re.compile(r"^(.)(.+?)(左|右)旗$")


def derive_aliases(name: str, level: str) -> list[tuple[str, str]]:
    """Short names people write for a division, each with the rule that made it."""
    out: list[tuple[str, str]] = []
    if m := _SIDE.match(name):  # 科尔沁左翼中旗 → 科左中旗, 察哈尔右翼前旗 → 察右前旗
        out.append((m[1] + m[2][0] + m[3] + "旗", "X左翼/右翼Y旗 → 首字+左/右+Y旗"))
    elif m := _FRONT.match(name):  # 乌拉特前旗 → 乌前旗, 鄂托克前旗 → 鄂前旗
        out.append((m[1] + m[3] + "旗", "X前/中/后旗 → 首字+前/中/后旗"))
    elif m := _LEFT.match(name):  # 巴林左旗 → 巴左旗, 阿拉善右旗 → 阿右旗
        out.append((m[1] + m[3] + "旗", "X左/右旗 → 首字+左/右旗"))
    if name.endswith("自治旗"):  # 鄂伦春自治旗 → 鄂伦春旗
        out.append((name.replace("族自治旗", "旗").replace("自治旗", "旗"), "去“自治”"))
    if level == "league" and name.endswith("盟") and len(name) >= 4:  # 阿拉善盟 → 阿盟
        out.append((name[0] + "盟", "X盟 → 首字+盟"))
    if name.endswith("市") and len(name) >= 4:  # 鄂尔多斯市 → 鄂尔多斯, 满洲里市 → 满洲里
        out.append((name[:-1], "X市 → X（去“市”）"))
    if name.endswith("市") and len(name) == 3:  # 包头市 → 包头, 丰镇市 → 丰镇
        out.append((name[:-1], "X市 → X（去“市”）"))
    if level == "league" and name.endswith("盟") and len(name) >= 4:  # 锡林郭勒盟 → 锡林郭勒
        out.append((name[:-1], "X盟 → X（去“盟”）"))
    if name.endswith("县") and len(name) >= 3:  # 固阳县 → 固阳, 和林格尔县 → 和林格尔
        out.append((name[:-1], "X县 → X（去“县”）"))
    return [(a, r) for a, r in out if a != name]


@cache
def aliases() -> dict[str, str]:
    """alias → full division name, from the CSV column and data/place_aliases.tsv."""
    out: dict[str, str] = {}
    for d in divisions():
        for s in d.short_names:
            out.setdefault(s, d.name)
    path = DATA / "place_aliases.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        alias, full, *_ = line.split("\t")
        out.setdefault(alias, full)
    return out


@cache
def by_name() -> dict[str, Division]:
    return {d.name: d for d in divisions()}


@cache
def all_place_names() -> dict[str, str]:
    """Every written form (full or short) → full name."""
    out = {d.name: d.name for d in divisions()}
    out.update({a: f for a, f in aliases().items() if a not in out})
    out["内蒙古"] = "内蒙古自治区"
    out["自治区"] = "内蒙古自治区"
    out["全区"] = "内蒙古自治区"
    return out


@cache
def name_pattern() -> re.Pattern[str]:
    """Any written place name, longest first so that a full name wins over its short form."""
    names = sorted(all_place_names(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def reporting_units() -> list[Division]:
    """The 14 units that submit briefs: divisions reporting straight to the region."""
    return [d for d in divisions() if d.reports_to == REGION_CODE]


@cache
def unit_for(name: str) -> str | None:
    """Code of the reporting unit whose part of the map holds the division `name`."""
    d = by_name().get(name)
    if d is None:
        return None
    if d.level == "region":
        return None
    if d.reports_to == REGION_CODE:
        return d.code
    return d.reports_to


def places_under(unit_code: str) -> frozenset[str]:
    """Full names of the unit itself and every division reporting to it."""
    return frozenset(d.name for d in divisions()
                     if d.code == unit_code or d.reports_to == unit_code)


def unit_by_name(name: str) -> Division | None:
    for d in reporting_units():
        if name.startswith(d.name) or name.startswith(d.name.rstrip("市盟")):
            return d
    return None


def write_alias_file() -> None:
    known = {d.name for d in divisions()} | {s for d in divisions() for s in d.short_names}
    lines = [
        "# Short names of Inner Mongolia divisions that the division list does not carry,",
        "# derived by the rules in campaigndesk/proofing/places.py:derive_aliases",
        "# (project-written, same licence as the project). Columns: alias, full name, rule.",
        "# Regenerate with `python -m campaigndesk.proofing.places`; hand-added lines go below",
        "# the marker.",
    ]
    seen: set[str] = set()
    for d in divisions():
        for alias, rule in derive_aliases(d.name, d.level):
            if alias in known or alias in seen:
                continue
            seen.add(alias)
            lines.append(f"{alias}\t{d.name}\t{rule}")
    path = DATA / "place_aliases.tsv"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    marker = "# --- hand-added ---"
    tail = old[old.index(marker):] if marker in old else marker + "\n"
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")


if __name__ == "__main__":
    write_alias_file()
    sys.stdout.write((DATA / "place_aliases.tsv").read_text(encoding="utf-8"))
