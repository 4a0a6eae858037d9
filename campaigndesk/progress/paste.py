"""A block pasted into the grid, placed the way an upload is read.

People copy from their own table in Excel or WPS, often with its 序号 column, its header
row, or both, and sometimes its 合计 row. Placed cell by cell from where it was pasted,
every column shifted and the header became an activity. So the block goes through the
uploads' header finder (excel/header.py): with a header, each column goes under the grid
column its header names, wherever it was pasted, and the header, the lines above it, the
序号 column and the 合计 rows are left out; without one, a first column of running
numbers pasted at 活动名称 is taken for 序号 and dropped, and the rest is placed from the
cell it was pasted into, as before. A 链接资源情况 without the row naming its two columns
is read as the template's 链接资金 and 链接物资折价 (excel/header.py); what is in a column
the header does not name cannot be placed and comes back as a warning naming the column
and its cells, never dropped unsaid.

Nothing is saved here: the page puts the rows into the grid, and saving checks them as
always (grid.parse_post).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .excel.cells import nfkc, shown
from .excel.header import column_label, find_header, header_match, header_text, normalise
from .excel_in import is_total_word
from .grid import KEYS, TAG_COLUMNS

NAME = KEYS[0]
HEADER_ROOM = 40  # rows of title, header and notes a pasted block may carry


@dataclass
class Placed:
    rows: list[dict[str, str]] = field(default_factory=list)  # by grid key, in order
    notes: list[str] = field(default_factory=list)  # what was left out, for the page
    # What the page must not let pass unseen: cells of a column that could not be placed.
    warnings: list[str] = field(default_factory=list)
    by_header: bool = False


def parse_tsv(text: str) -> list[list[str]]:
    """The clipboard of Excel and WPS: tab-separated, a cell with a tab, a line break or a
    quote in double quotes."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    return [[value.replace("\r\n", "\n") for value in row] for row in rows]


def place(block: list[list[str]], start: str) -> Placed:
    """The block's rows by grid key; `start`: the grid column it was pasted into."""
    start = start if start in KEYS else NAME
    header = find_header(block)
    if header is not None:
        columns = {c.index: c for c in header.columns}
        keys = {i: c.key for i, c in columns.items() if c.key in KEYS}
        texts = {i: c.text for i, c in columns.items()}
        seq = any(c.key == "seq" for c in header.columns)
        placed = _by_header(block, header.data_start, keys, texts, seq, header.row,
                            header.texts)
        if header.by_place:
            placed.notes.insert(1, _("“链接资源情况”下没有“链接资金”“链接物资折价”的表头，其下两列"
                                     "按统计表的顺序放入链接资金、链接物资折价，请核对"))
        return placed
    first = block[0] if block else []
    if _is_header_row(first):
        keys, texts = {}, {}
        for i, value in enumerate(first):
            key = _grid_key(value)
            if key is not None:
                keys[i] = key
            if value.strip():
                texts[i] = header_text(value)
        seq = any(header_match(v)[0] == "seq" for v in first)
        return _by_header(block, 1, keys, texts, seq, 0, [header_text(v) for v in first])
    return _by_place(block, start)


def _grid_key(value: str) -> str | None:
    """The grid key a header cell names: a column of attachment 1 or one of the grid's
    optional classification columns (their titles without （选填）)."""
    key = header_match(value)[0]
    if key in KEYS:
        return key
    norm = normalise(value)
    for tag_key, _kind, title in TAG_COLUMNS:
        if norm and norm in (normalise(str(title)), normalise(str(title)).split("(")[0]):
            return tag_key
    return None


def _is_header_row(row: list[str]) -> bool:
    """A short header (a few columns copied with their names): every filled cell a column
    name, two at least by one of its known names (an activity named 社区活动内容 only ends
    like one). The full header is found by find_header."""
    filled = [v for v in row if v.strip()]
    return (len(filled) >= 2
            and all(_grid_key(v) is not None or header_match(v)[0] == "seq" for v in filled)
            and sum(1 for v in filled if header_match(v)[1]) >= 2)


def _is_total(values: list[str]) -> bool:
    return any(is_total_word(value) for value in values[:2])


def _by_header(block: list[list[str]], data_start: int, keys: dict[int, str],
               texts: dict[int, str], seq: bool, top: int, heads: Sequence[str]) -> Placed:
    """`texts`: the columns the header names (known or not); `heads`: every header cell
    as found, to name the columns it does not."""
    placed = Placed(by_header=True)
    totals = 0
    lost: dict[int, list[str]] = {}  # cells of the columns without a name, by column
    # The 序号 and 活动名称 cells tell a 合计 row, wherever those columns are.
    marks = [i for i, key in keys.items() if key == NAME]
    marks += [i for i, text in texts.items() if header_match(text)[0] == "seq"]
    for values in block[data_start:]:
        if not any(v.strip() for v in values):
            continue
        if _is_total([values[i] for i in sorted(marks) if i < len(values)]):
            totals += 1
            continue
        placed.rows.append({key: values[i].strip() for i, key in keys.items()
                            if i < len(values)})
        for i, value in enumerate(values):
            if i not in texts and value.strip():
                lost.setdefault(i, []).append(value.strip())
    header_rows = data_start - top
    placed.notes.append(_("已按表头把各列放入对应的列") + (
        _("，表头（%(n)s 行）没有作为活动") % {"n": header_rows}))
    if top:
        placed.notes.append(_("表头之上的 %(n)s 行（标题、填报人等）没有粘贴") % {"n": top})
    if seq:
        placed.notes.append(_("序号列没有粘贴（保存时自动编号）"))
    if totals:
        placed.notes.append(_("%(n)s 行合计没有作为活动（合计由各行相加得出）") % {"n": totals})
    ignored = [texts[i] for i in sorted(texts) if i not in keys
               and header_match(texts[i])[0] != "seq" and texts[i]]
    if ignored:
        placed.notes.append(_("这些列不是统计表的列，没有粘贴：%(columns)s") % {
            "columns": "、".join(f"“{t}”" for t in ignored)})
    for i, values in sorted(lost.items()):
        placed.warnings.append(_(
            "%(column)s的 %(n)s 个单元格（%(values)s）无法按表头放入，没有粘贴；"
            "请给这一列写上表头（如“链接资金（元）”）后重新粘贴，或直接填入对应的列") % {
            "column": column_label(i, heads[i] if i < len(heads) else ""), "n": len(values),
            "values": "、".join(shown(v) for v in values[:3]) + ("…" if len(values) > 3 else "")})
    return placed


def _is_sequence(block: list[list[str]]) -> bool:
    """A first column of whole numbers (a 合计 row aside) beside a column that is not."""
    rows = [r for r in block if any(v.strip() for v in r) and not _is_total(r)]
    if not rows or any(len(r) < 2 for r in rows):
        return False
    firsts = [nfkc(r[0]).strip().rstrip(".、") for r in rows]
    if not all(f.isdigit() for f in firsts):
        return False
    return not all(nfkc(r[1]).strip().replace(".", "", 1).isdigit() for r in rows)


def _by_place(block: list[list[str]], start: str) -> Placed:
    placed = Placed()
    begin = KEYS.index(start)
    drop_first = start == NAME and _is_sequence(block)
    totals = 0
    for values in block:
        if drop_first:
            if _is_total(values):
                totals += 1
                continue
            values = values[1:]
        elif start == NAME and _is_total(values[:1]):
            totals += 1
            continue
        placed.rows.append({KEYS[begin + i]: v.strip() for i, v in enumerate(values)
                            if begin + i < len(KEYS)})
    if drop_first:
        placed.notes.append(_("第一列是序号，没有粘贴（保存时自动编号）"))
    if totals:
        placed.notes.append(_("%(n)s 行合计没有作为活动（合计由各行相加得出）") % {"n": totals})
    return placed
