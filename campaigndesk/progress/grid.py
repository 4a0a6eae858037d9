"""The web grid's rows, to and from the form.

What a user types in the grid is checked by the very code that reads uploaded tables: the
grid is turned into a sheet (the header row of attachment 1, then one row per grid row)
and read like a file, so a value accepted in Excel is accepted on the web and vice versa.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from campaigndesk.campaigns.models import Campaign, VocabularyKind
from campaigndesk.params import whole_number

from .models import Report, TypedRow
from .services import Typed, reporter_errors
from .table import COLUMNS, ActivityRow, dates_text, fen_to_text, service_labels

SHEET_KEYS = [c.key for c in COLUMNS]
# Optional classification columns after those of attachment 1, filled with item numbers.
TAG_COLUMNS = (
    ("activity_types", VocabularyKind.ACTIVITY_TYPE, gettext_lazy("宣传活动类型（选填）")),
    ("focus_topics", VocabularyKind.FOCUS_TOPIC, gettext_lazy("宣传内容（选填）")),
    ("five_social", VocabularyKind.FIVE_SOCIAL, gettext_lazy("五社联动要素（选填）")),
)
KEYS = SHEET_KEYS + [key for key, _, _ in TAG_COLUMNS]
_SPLIT = re.compile(r"[、，,；;/\s]+")
_ROW_FIELD = re.compile(r"r-(\d{1,6})-")


def max_rows() -> int:
    """The most rows one save takes (setting PROGRESS_GRID_MAX_ROWS): over it the whole
    grid is refused, never cut, since rows left out would be deleted by the save."""
    return settings.PROGRESS_GRID_MAX_ROWS


@dataclass
class GridRow:
    id: int | None
    texts: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    row: ActivityRow | None = None


@dataclass
class ParsedGrid:
    rows: list[GridRow]
    warnings: list[str] = field(default_factory=list)
    over_limit: bool = False  # more rows than max_rows(): nothing was checked or saved

    @property
    def has_errors(self) -> bool:
        return self.over_limit or any(r.errors for r in self.rows)

    def limit_message(self) -> str:
        return gettext("网页表格一次最多保存 %(limit)s 行，本次有 %(count)s 行；未保存任何内容。"
                       "请分批填报，或上传 Excel 文件导入") % {
            "limit": max_rows(), "count": len(self.rows)}

    @property
    def wrong_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def to_save(self) -> list[tuple[int | None, ActivityRow]]:
        """The rows without errors (the API refuses any error before saving)."""
        return [(r.id, r.row) for r in self.rows if r.row is not None]

    def entries(self) -> list[tuple[int | None, ActivityRow | Typed]]:
        """Every row of the grid in order, a row with an error as typed (a draft keeps all)."""
        return [(r.id, Typed(r.texts, r.errors) if r.errors or r.row is None else r.row)
                for r in self.rows]


def tag_lists(campaign: Campaign) -> list[tuple[str, str, list[str]]]:
    """(grid key, column title, the campaign's labels in order) for each optional column."""
    return [(key, str(title), [i.label for i in campaign.vocabulary(kind)])
            for key, kind, title in TAG_COLUMNS]


def parse_tags(text: str, labels: list[str]) -> tuple[list[str], str]:
    """Item numbers (1、3) or labels, or a unique part of a label; returns (labels, error)."""
    chosen: list[str] = []
    for token in _SPLIT.split(unicodedata.normalize("NFKC", text).strip()):
        if not token:
            continue
        if token.isdigit() and 1 <= int(token) <= len(labels):
            match = [labels[int(token) - 1]]
        else:
            match = [label for label in labels if label == token] or [
                label for label in labels if token in label]
        if len(match) != 1:
            return [], gettext("“%(token)s”不是可选项，请填写序号 1—%(count)s") % {
                "token": token, "count": len(labels)}
        if match[0] not in chosen:
            chosen.append(match[0])
    return chosen, ""


def texts_of(row: ActivityRow, lists=()) -> dict[str, str]:
    return {
        "name": row.name,
        "organizations": "、".join(row.organizations),
        "participants": str(row.participants),
        "dates": dates_text(row.start, row.end),
        "location": row.location,
        "content": row.content,
        "service_areas": "、".join(service_labels(row)),
        "beneficiaries": str(row.beneficiaries),
        "funds": fen_to_text(row.funds_fen),
        "materials": fen_to_text(row.materials_fen),
        "remarks": row.remarks,
    } | {
        key: "、".join(str(labels.index(label) + 1) for label in row.tags.get(kind, [])
                      if label in labels)
        for (key, _, labels), (_, kind, _) in zip(lists, TAG_COLUMNS, strict=False)
    }


def rows_from_activities(report: Report, lists: list[tuple[str, str, list[str]]]
                         ) -> list[GridRow]:
    """The round's activities as grid rows, and the rows kept as typed in their places
    (over the activity they were, if any) with their errors; `lists` is tag_lists() of
    its campaign."""
    typed = list(report.typed_rows.all())
    over = {t.activity_id: t for t in typed if t.activity_id}
    placed: list[tuple[int, int, GridRow]] = []
    for a in report.activities.live().prefetch_related("tags").order_by("position"):
        kept = over.get(a.pk)
        placed.append((a.position, 0, GridRow(a.pk, texts_of(a.to_row(), lists)) if kept is None
                       else GridRow(a.pk, _typed_texts(kept), dict(kept.errors))))
    placed += [(t.position, 1, GridRow(None, _typed_texts(t), dict(t.errors)))
               for t in typed if t.activity_id is None]
    rows = [row for _position, _kind, row in sorted(placed, key=lambda p: (p[0], p[1]))]
    return rows or [GridRow(None, dict.fromkeys(KEYS, ""))]


@dataclass(frozen=True)
class CellProblem:
    row: int  # 1-based, as the grid numbers its rows
    column: str
    message: str
    anchor: str  # the id of the cell's input


def problems(rows: list[GridRow]) -> list[CellProblem]:
    """Every wrong cell of the grid, in reading order: the list above the grid (the cells
    themselves show their message only on hover or focus, so rows keep their height)."""
    titles = {c.key: c.header.split("（老年人")[0] for c in COLUMNS}
    titles |= {key: str(title) for key, _kind, title in TAG_COLUMNS}
    return [CellProblem(i + 1, titles[key], row.errors[key], f"c-{i}-{key}")
            for i, row in enumerate(rows) for key in KEYS if key in row.errors]


def _typed_texts(typed: TypedRow) -> dict[str, str]:
    return {key: str(typed.texts.get(key, "")) for key in KEYS}


def row_count(report: Report) -> int:
    """Rows the grid would draw: the live activities and the typed rows of no activity."""
    return (report.activities.live().count()
            + report.typed_rows.filter(activity__isnull=True).count())


def _posted_rows(data) -> list[GridRow]:
    """Every row the form holds. Counted from the fields themselves (row_count only
    says how many the page meant to send): no posted row is ever left out unseen."""
    present = {int(m.group(1)) for key in data if (m := _ROW_FIELD.match(key))}
    rows = []
    for i in sorted(present):  # bounded by the fields posted, whatever the numbers say
        texts = {key: data.get(f"r-{i}-{key}", "").strip() for key in KEYS}
        raw_id = data.get(f"r-{i}-id")
        rows.append(GridRow(whole_number(raw_id), texts))
    return rows


def parse_post(data, campaign: Campaign, lists: list[tuple[str, str, list[str]]]
               ) -> ParsedGrid:
    """Every non-empty grid row checked as a row of the table; blank rows are dropped.
    `lists` is tag_lists(campaign)."""
    from .excel_in import read_table
    from .uploads import read_context

    rows = [r for r in _posted_rows(data) if any(r.texts.values())]
    if len(rows) > max_rows():
        return ParsedGrid(rows, over_limit=True)
    header = [c.header for c in COLUMNS]
    sheet = [header] + [[r.texts[key] for key in SHEET_KEYS] for r in rows]
    result = read_table(sheet, context=read_context(campaign))
    by_header = dict(zip(header, SHEET_KEYS, strict=True))
    for problem in result.errors:
        index = (problem.row or 0) - 2  # sheet row 1 is the header
        if 0 <= index < len(rows):
            key = by_header.get(problem.column, "name")
            rows[index].errors.setdefault(key, problem.message)
    read_by_row = {r.row: r for r in result.rows}
    # A row the reader left out on purpose (a pasted header, a section title) says why.
    passed_over = {p.row: p.message for p in result.warnings
                   if p.row and p.column in ("", header[0])}
    for index, grid_row in enumerate(rows):
        grid_row.row = read_by_row.get(index + 2)
        if grid_row.row is None and not grid_row.errors:
            why = passed_over.get(index + 2)
            grid_row.errors["name"] = (
                gettext("%(why)s；这一行不是活动，请删除") % {"why": why} if why
                else gettext("请填写活动名称"))
        for (key, _, labels), (_, kind, _) in zip(lists, TAG_COLUMNS, strict=True):
            chosen, error = parse_tags(grid_row.texts[key], labels)
            if error:
                grid_row.errors[key] = error
            elif grid_row.row is not None:
                grid_row.row.tags[kind] = chosen
    warnings = [gettext("第 %(row)s 行 %(column)s：%(message)s") % {
                    "row": p.row - 1, "column": p.column, "message": p.message}
                if p.row else p.message
                for p in result.warnings]
    return ParsedGrid(rows, warnings)


def check_submit_fields(data) -> dict[str, list[str]]:
    return reporter_errors(data.get("reporter_name", ""), data.get("reporter_phone", ""))
