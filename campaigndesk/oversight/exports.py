"""The dashboard's current view as data, and as an .xlsx of that same view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, VocabularyKind
from campaigndesk.places import counts as place_counts
from campaigndesk.progress.excel.sheet import Book
from campaigndesk.progress.excel_out import write_text
from campaigndesk.progress.exports import XLSX
from campaigndesk.progress.table import Totals

from . import dashboard

FIGURES = ("活动数", "参与人次", "受益人次", "链接资金（元）", "链接物资折价（元）")


@dataclass
class DashboardView:
    matrix: dashboard.Matrix
    total: Totals
    units: list[tuple[dashboard.UnitRef, Totals]]
    service_areas: list[tuple[str, Totals]]
    activity_types: list[tuple[str, Totals]]
    five_social: list[tuple[str, Totals]]
    days: list[tuple[date | None, Totals]]

    @property
    def reported_units(self) -> int:
        return sum(1 for _, t in self.units if t.activities)


def dashboard_view(campaign: Campaign, filters: dashboard.Filters, *,
                   page: int | str | None = 1) -> DashboardView:
    """`page` is the matrix page to show; None puts every unit in the matrix."""
    units, scope = dashboard.by_unit(campaign, filters)
    total = dashboard.total_of(units)
    tags = dashboard.by_tags(scope, total)
    return DashboardView(
        matrix=dashboard.matrix(campaign, dashboard.scope_units(campaign, filters), page=page),
        total=total,
        units=units,
        service_areas=tags[VocabularyKind.SERVICE_AREA],
        activity_types=tags[VocabularyKind.ACTIVITY_TYPE],
        five_social=tags[VocabularyKind.FIVE_SOCIAL],
        days=dashboard.by_day(scope),
    )


def _figures(ws, row: int, col: int, t: Totals, fmt_count, fmt_amount) -> None:
    ws.write_number(row, col, t.activities, fmt_count)
    ws.write_number(row, col + 1, t.participants, fmt_count)
    ws.write_number(row, col + 2, t.beneficiaries, fmt_count)
    ws.write_number(row, col + 3, t.funds_fen / 100, fmt_amount)
    ws.write_number(row, col + 4, t.materials_fen / 100, fmt_amount)


def dates_label(start: date | None, end: date | None) -> str:
    """The date filter as the page reads it: a one-sided filter says which side it bounds
    ("2026-12-01起", "至2026-12-10"), not a bare date that reads as one day."""
    if start and end:
        return f"{start.isoformat()}至{end.isoformat()}"
    if start:
        return f"{start.isoformat()}起"
    if end:
        return f"至{end.isoformat()}"
    return "全部日期"


def write_dashboard(out, campaign: Campaign, filters: dashboard.Filters) -> None:
    """One sheet per block of the page, the matrix with every unit (not only one page)."""
    view = dashboard_view(campaign, filters, page=None)
    wb = Book(out)  # as every workbook: text stays text, rows are streamed
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1, "text_wrap": True})
    count = wb.add_format({"num_format": "#,##0", "border": 1})
    amount = wb.add_format({"num_format": "#,##0.00", "border": 1})
    text = wb.add_format({"border": 1})
    title = wb.add_format({"bold": True, "font_size": 14})

    scope = filters.unit.name if filters.unit else "全部参加单位"
    dates = dates_label(filters.start, filters.end)
    ws = wb.add_worksheet("报送情况")
    write_text(ws, 0, 0, f"{campaign.title} 数据看板", title)
    write_text(ws, 1, 0, f"范围：{scope}；活动日期：{dates}；导出时间："
                         f"{timezone.localtime():%Y-%m-%d %H:%M}")
    write_text(ws, 3, 0, "单位", head)
    for c, d in enumerate(view.matrix.deadlines, start=1):
        write_text(ws, 3, c, d.title, head)
    r = 4
    for unit, statuses in view.matrix.rows:
        write_text(ws, r, 0, unit.name, text)
        for c, status in enumerate(statuses, start=1):
            write_text(ws, r, c, f"{status.label}（{status.detail}）", text)
        r += 1
    write_text(ws, r, 0, "报送率", head)
    for c, rate in enumerate(view.matrix.rates, start=1):
        write_text(ws, r, c, f"{rate.submitted}/{rate.expected}（{rate.percent}%），"
                             f"按时 {rate.on_time}，逾期 {rate.late}", text)
    ws.set_column(0, 0, 24)
    ws.set_column(1, len(view.matrix.deadlines), 26)

    def block(name: str, label: str, lines) -> None:
        sheet = wb.add_worksheet(name)
        for c, header in enumerate((label, *FIGURES)):
            write_text(sheet, 0, c, header, head)
        row = 1
        for key, t in lines:
            write_text(sheet, row, 0, key, text)
            _figures(sheet, row, 1, t, count, amount)
            row += 1
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 5, 16)

    block("按单位", "单位", [(u.name, t) for u, t in view.units] + [("合计", view.total)])
    block("按服务领域", "服务领域", view.service_areas)
    block("按活动类型", "宣传活动类型", view.activity_types)
    block("按五社要素", "五社联动要素", view.five_social)
    block("按日期", "活动开始日期",
          [(d.isoformat() if d else "未填日期", t) for d, t in view.days])
    # The page's 服务场所标识 table, for the same units as the page (notice activity （三）).
    lines = place_counts.signage_lines(campaign, dashboard.scope_units(campaign, filters))
    sheet = wb.add_worksheet("服务场所标识")
    for c, header in enumerate(place_counts.SHEET_HEADERS):
        write_text(sheet, 0, c, header, head)
    for row, (_unit, line) in enumerate([*lines, (None, place_counts.total(lines))], start=1):
        write_text(sheet, row, 0, line.name, text)
        for c, value in enumerate((line.places, line.posters, line.confirmed, line.percent), 1):
            sheet.write_number(row, c, value, count)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 4, 14)
    wb.close()


def dashboard_response(user, campaign: Campaign, filters: dashboard.Filters) -> HttpResponse:
    out = BytesIO()
    write_dashboard(out, campaign, filters)
    scope = filters.unit.name if filters.unit else "全部单位"
    record(user, "dashboard.export", campaign, message=f"导出数据看板（{scope}）")
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{campaign.title}-数据看板-{scope}.xlsx")
    return response
