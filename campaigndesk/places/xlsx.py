"""The register as .xlsx: the template the product gives, its import and its export.

One column per field, in the order of TEMPLATE_COLUMNS; the three lists are one cell each,
one entry per line (lists.py), exactly as in the web form. Every row of an import goes
through PlaceForm, so the errors are the web form's, placed by 行 and 列. Text is never
written as a formula (progress.excel.sheet.Book quotes formula-like text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings
from xlsxwriter.utility import xl_col_to_name

from campaigndesk.progress import excel_in
from campaigndesk.progress.excel.cells import nfkc, text_of
from campaigndesk.progress.excel.sheet import Book
from campaigndesk.progress.excel_out import write_text
from campaigndesk.units.models import Unit

from . import lists
from .forms import PlaceForm
from .models import Kind, Place
from .services import PlaceData

# (form field, header, width, example)
TEMPLATE_COLUMNS = [
    ("name", "场所名称", 26, "新城区海拉尔东路街道社工站"),
    ("kind", "类型", 12, "社工站"),
    ("unit", "所属单位", 16, "新城区"),
    ("address", "地址", 30, "新城区海拉尔东路12号"),
    ("hours", "开放时间", 22, "周一至周五 8:30-17:30"),
    ("content", "服务内容", 36, "为辖区老年人、困境儿童提供个案、小组和社区服务"),
    ("services_text", "服务清单（每行：项目：对象）", 30, "个案服务：困境儿童\n小组活动：独居老人"),
    ("staff_text", "服务人员（每行：姓名，岗位，资格，电话）", 40,
     "王芳，站长，社会工作师，13800001234\n李明，社工，助理社会工作师"),
    ("steps_text", "服务流程（每行一步）", 24, "接待登记\n需求评估\n提供服务\n回访"),
    ("phone", "联系电话", 16, "0471-6946872"),
    ("longitude", "经度", 12, "111.765000"),
    ("latitude", "纬度", 12, "40.842000"),
    ("publish_staff_phones", "公开服务人员电话（是/否）", 14, "否"),
]
HEADERS = [header for _key, header, _w, _e in TEMPLATE_COLUMNS]
TITLE = "社会工作服务场所登记表"
NOTE = ("说明：一行一个场所；同一单位中名称相同的场所按本表更新。服务清单、服务人员、"
        "服务流程每行填写一条。第 3 行为示例，导入时请删除。")
HEADER_ROW = 1  # 0-based: the title, then the header
MAX_ROWS = 2000
_KINDS = {str(label): value for value, label in Kind.choices} | {v: v for v in Kind.values}
_YES = {"是": True, "否": False, "": False, "y": True, "n": False, "yes": True, "no": False,
        "1": True, "0": False, "true": True, "false": False}


def _formats(book: Book) -> dict:
    return {
        "title": book.add_format({"bold": True, "font_size": 16, "font_name": "宋体"}),
        "header": book.add_format({"bold": True, "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter", "bg_color": "#EEF3FA"}),
        "cell": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "note": book.add_format({"italic": True, "font_color": "#666666"}),
    }


def _sheet(book: Book, f: dict, rows: list[list[str]], note: str):
    ws = book.add_worksheet("服务场所")
    for col, (_k, _h, width, _e) in enumerate(TEMPLATE_COLUMNS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, TITLE, f["title"])
    for col, header in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, col, header, f["header"])
    for n, cells in enumerate(rows):
        for col, text in enumerate(cells):
            write_text(ws, HEADER_ROW + 1 + n, col, text, f["cell"])
    ws.write_string(HEADER_ROW + 2 + len(rows), 0, note, f["note"])


def template() -> bytes:
    out = io.BytesIO()
    book = Book(out)
    _sheet(book, _formats(book), [[example for *_rest, example in TEMPLATE_COLUMNS]], NOTE)
    book.close()
    return out.getvalue()


def place_cells(place: Place) -> list[str]:
    values = {
        "name": place.name, "kind": place.get_kind_display(), "unit": place.unit.name,
        "address": place.address, "hours": place.hours, "content": place.content,
        "services_text": lists.items_text(place.services.all()),
        "staff_text": lists.staff_text(place.staff.all()),
        "steps_text": lists.steps_text(place.steps.all()), "phone": place.phone,
        "longitude": "" if place.longitude is None else str(place.longitude),
        "latitude": "" if place.latitude is None else str(place.latitude),
        "publish_staff_phones": "是" if place.publish_staff_phones else "否",
    }
    return [values[key] for key, *_rest in TEMPLATE_COLUMNS]


def export(places) -> bytes:
    out = io.BytesIO()
    book = Book(out)
    places = places.select_related("unit").prefetch_related("services", "staff", "steps")
    _sheet(book, _formats(book), [place_cells(p) for p in places],
           "导出的登记表可修改后重新导入：同一单位中名称相同的场所按表更新。")
    book.close()
    return out.getvalue()


@dataclass
class ReadResult:
    rows: list[PlaceData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # 第 N 行第 X 列（表头）：…


def _where(row: int, col: int | None) -> str:
    if col is None:
        return f"第 {row} 行"
    return f"第 {row} 行第 {xl_col_to_name(col)} 列（{HEADERS[col].split('（')[0]}）"


def _find_header(rows: list[list]) -> int | None:
    for n, cells in enumerate(rows[:10]):
        if [nfkc(text_of(c)) for c in cells[:2]] == [nfkc(h) for h in HEADERS[:2]]:
            return n
    return None


def _unit_of(text: str, units: list[Unit]) -> Unit | None:
    wanted = nfkc(text)
    for unit in units:
        if wanted in {unit.code, nfkc(unit.name), *(nfkc(s) for s in unit.short_names)}:
            return unit
    return None


def read(data: bytes, units: list[Unit]) -> ReadResult:
    """Check every row; ``units`` are those the user may register places for."""
    caps = excel_in.Caps(reader_memory=settings.PROGRESS_READER_MEMORY_MB * 1024 * 1024,
                         reader_seconds=settings.PROGRESS_READER_SECONDS)
    book = excel_in.open_book(data, caps)
    sheets = [s for s in book.sheets() if s.visible] or book.sheets()
    result = ReadResult()
    rows = book.rows(sheets[0]) if sheets else []
    header = _find_header(rows)
    if header is None:
        result.errors.append("没有找到登记表的表头（第一列应为“场所名称”，第二列为“类型”），"
                             "请下载并使用本页提供的模板")
        return result
    body = [(n, cells) for n, cells in enumerate(rows[header + 1:], header + 2)
            if any(text_of(c) for c in cells)]
    body = [(n, cells) for n, cells in body
            if not text_of(cells[0]).startswith(("说明：", "导出的登记表"))]
    if len(body) > MAX_ROWS:
        result.errors.append(f"登记表行数过多（{len(body)} 行，上限 {MAX_ROWS} 行）")
        return result
    if not body:
        result.errors.append("登记表中没有填写任何场所")
    seen: dict[tuple[int, str], int] = {}
    for n, cells in body:
        _read_row(n, cells, units, result, seen)
    return result


def _read_row(n: int, cells: list, units: list[Unit], result: ReadResult,
              seen: dict[tuple[int, str], int]) -> None:
    raw = {key: text_of(cells[i]) if i < len(cells) else ""
           for i, (key, *_rest) in enumerate(TEMPLATE_COLUMNS)}
    column = {key: i for i, (key, *_rest) in enumerate(TEMPLATE_COLUMNS)}
    problems = []
    unit = _unit_of(raw["unit"], units)
    if unit is None:
        problems.append((column["unit"], f"“{raw['unit']}”不是您可以登记的单位" if raw["unit"]
                         else "请填写所属单位"))
    kind = _KINDS.get(nfkc(raw["kind"]))
    if kind is None:
        problems.append((column["kind"], "类型应为社工站、社工室、学校社工点、医院社工点或其他"))
    publish = _YES.get(nfkc(raw["publish_staff_phones"]).lower())
    if publish is None:
        problems.append((column["publish_staff_phones"], "请填写“是”或“否”"))
    form = PlaceForm(data={**raw, "unit": unit.code if unit else "", "kind": kind or "",
                           "publish_staff_phones": "on" if publish else ""},
                     units=units)
    if form.is_valid() is False:
        for key, messages in form.errors.items():
            if key in ("unit", "kind") and any(c == column[key] for c, _m in problems):
                continue
            problems.append((column.get(key), "；".join(messages)))
    if unit is not None and form.is_valid():
        key = (unit.pk, form.cleaned_data["name"])
        if key in seen:
            problems.append((column["name"], f"与第 {seen[key]} 行是同一单位的同名场所"))
        seen.setdefault(key, n)
    if problems:
        result.errors += [f"{_where(n, col)}：{message}" for col, message in problems]
        return
    result.rows.append(PlaceData.from_form(form.cleaned_data, unit))
