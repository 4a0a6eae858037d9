"""Regenerate data/traditional.tsv from Debian's unicode-data (Unihan, Unicode licence).

`python -m campaigndesk.proofing._build_traditional` (needs /usr/share/unicode/Unihan_*.bz2).
A line is a traditional character and its simplified form (Unihan kSimplifiedVariant), kept
only where the traditional one is not itself a character of simplified writing: not among the
common characters, and not in 通用规范汉字表 (2013, Unihan kTGH: 藉, 乾, 於 in 於菟 stay out).
"""

from __future__ import annotations

import bz2
from pathlib import Path

from .lexicon import DATA, read_data_lines

UNIHAN = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
TGH = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")


def _char(code: str) -> str:
    return chr(int(code.split("<")[0][2:], 16))


def _standard() -> set[str]:
    """The 8,105 characters of 通用规范汉字表 (Unihan kTGH)."""
    out = set()
    with bz2.open(TGH, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                out.add(_char(parts[0]))
    return out


def build() -> dict[str, str]:
    common = {c for ln in read_data_lines("common_chars.txt") for c in ln.strip()}
    common |= _standard()
    out: dict[str, str] = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, key, value = line.rstrip("\n").split("\t")
            if key != "kSimplifiedVariant":
                continue
            trad, simp = _char(code), _char(value.split()[0])
            if trad != simp and trad not in common and simp in common:
                out[trad] = simp
    return out


def main() -> None:
    pairs = build()
    lines = ["# Traditional characters and their simplified forms, from Unihan 15.0",
             "# (kSimplifiedVariant; Debian unicode-data, Unicode licence), made by",
             "# _build_traditional.py; common simplified characters are left out."]
    lines += [f"{t}\t{s}" for t, s in sorted(pairs.items())]
    (DATA / "traditional.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
