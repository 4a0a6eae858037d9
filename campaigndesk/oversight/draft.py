"""The department's campaign summary as a .docx draft, edited in Word afterwards.

Figures come from the dashboard's queries (the consolidated workbook's numbers); charts are
PNGs drawn by oversight.charts; briefs come from the articles app (typical cases and the
briefs published on the website).
"""

from __future__ import annotations

import io

from django.db.models import Max, Q
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from campaigndesk import officedoc
from campaigndesk.articles.counts import totals as article_totals
from campaigndesk.articles.counts import unit_counts
from campaigndesk.articles.models import Article, Channel
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.status import State
from campaigndesk.jobs.registry import Step
from campaigndesk.places import counts as place_counts
from campaigndesk.progress.reported import reporting_units
from campaigndesk.progress.table import Totals, fen_to_text

from . import charts, dashboard
from .exports import dashboard_view
from .models import FinalSummary

FONT = officedoc.BODY_FONT
HEADING_FONT = officedoc.HEADING_FONT


def _para(doc, text: str, *, size: float = 16, font: str = FONT, bold: bool = False,
          center: bool = False, indent: bool = True):
    return officedoc.para(doc, text, size=size, font_name=font, bold=bold, center=center,
                          indent=indent)


def _heading(doc, text: str) -> None:
    officedoc.heading(doc, text, style="Heading 2")


def _figures_text(t: Totals) -> str:
    return (f"开展活动{t.activities}场，参与{t.participants}人次，受益{t.beneficiaries}人次，"
            f"链接资金{fen_to_text(t.funds_fen)}元、物资折价{fen_to_text(t.materials_fen)}元")


def _table(doc, rows: list[list[str]], widths: list[float] | None = None) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(officedoc.printable(value))
            officedoc.font(run, FONT, 11, bold=r == 0)
            if widths:
                cell.width = Cm(widths[c])


def _picture(doc, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _quiet(percent: float, text: str) -> None:
    pass


def build_draft(campaign: Campaign, step: Step = _quiet) -> bytes:
    """The draft .docx; `step(percent, text)` hears each part begun (the dashboard's sums and
    the charts are the long parts)."""
    step(5, "正在汇总各单位报送数据")
    view = dashboard_view(campaign, dashboard.Filters(), page=None)
    total, units, matrix = view.total, view.units, view.matrix
    counts = unit_counts(campaign)
    briefs = article_totals(counts)
    doc = officedoc.official_document()

    officedoc.title(doc, f"{campaign.title}总结")
    _para(doc, "（草稿，由系统根据报送数据生成，请修改完善）", size=12, center=True)
    # "为落实…要求，" only with a 文号: without one the sentence began with a bare 为.
    because = f"为落实{campaign.document_number}要求，" if campaign.document_number else ""
    _para(doc, f"{because}自治区民政厅于{officedoc.day(campaign.start_date)}至"
               f"{officedoc.day(campaign.end_date)}组织开展{campaign.title}，宣传主题为"
               f"“{campaign.slogan}”。现将活动开展情况总结如下。")

    _heading(doc, "一、总体情况")
    reported = reporting_units(campaign)  # the same 报送单位 as the screen and the package
    _para(doc, f"全区{len(units)}个参加单位中，{reported}个单位报送了活动情况，共"
               f"{_figures_text(total)}。报送宣传稿件{briefs.submitted}篇，采用"
               f"{briefs.accepted}篇，评为典型案例{briefs.typical}篇。")
    signage = place_counts.signage_lines(campaign, campaign.participants.all())
    places = place_counts.total(signage)
    _para(doc, f"服务场所宣传方面，全区{places.text()}，张贴率{places.percent}%。")
    for rate in matrix.rates:
        _para(doc, f"{rate.deadline.title}：应报{rate.expected}个单位，已报{rate.submitted}个"
                   f"（按时{rate.on_time}个，逾期{rate.late}个），报送率{rate.percent}%。")
    step(35, "正在绘制统计图")
    ranked = sorted(units, key=lambda pair: -pair[1].activities)[:15]
    _picture(doc, charts.bar_chart("各单位开展活动数（场）", [u.name for u, _ in ranked],
                                   [t.activities for _, t in ranked]))
    _picture(doc, charts.bar_chart("各单位参与人次", [u.name for u, _ in ranked],
                                   [t.participants for _, t in ranked]))
    areas = view.service_areas
    if areas:
        _picture(doc, charts.bar_chart("各服务领域活动数（场）", [a for a, _ in areas],
                                       [t.activities for _, t in areas]))
    # Every day of the campaign, a day without activities at 0 (not left out).
    days = dashboard.every_day(view.days, campaign.start_date, campaign.end_date)
    if len(days) > 1:
        _picture(doc, charts.line_chart("每日开展活动数（场）",
                                        [f"{d.month}月{d.day}日" for d, _ in days],
                                        [t.activities for _, t in days]))

    step(70, "正在写入各单位开展情况")
    _heading(doc, "二、各单位开展情况")
    _table(doc, [["单位", "活动数", "参与人次", "受益人次", "链接资金（元）", "物资折价（元）"]]
           + [[u.name, str(t.activities), str(t.participants), str(t.beneficiaries),
               fen_to_text(t.funds_fen), fen_to_text(t.materials_fen)] for u, t in units]
           + [["合计", str(total.activities), str(total.participants),
               str(total.beneficiaries), fen_to_text(total.funds_fen),
               fen_to_text(total.materials_fen)]])
    summaries = {s.unit_id for s in FinalSummary.objects.filter(deadline__campaign=campaign)}
    article_rows = {row.unit.pk: row for row in counts}
    statuses = {unit.pk: status_list for unit, status_list in matrix.rows}
    signage_of = {unit.pk: line for unit, line in signage}
    for unit, t in units:
        _para(doc, f"（{unit.name}）", font=HEADING_FONT, size=15)
        rows = [["项目", "情况"], ["活动开展", _figures_text(t)]]
        for status in statuses.get(unit.pk, []):
            rows.append([status.deadline.title, f"{status.label}（{status.detail}）"])
        brief = article_rows.get(unit.pk)
        if brief is not None:
            rows.append(["宣传稿件", f"报送{brief.submitted}篇，采用{brief.accepted}篇，"
                                    f"典型案例{brief.typical}篇"])
        rows.append(["服务场所标识", signage_of[unit.pk].text()])
        rows.append(["活动总结", "已提交" if unit.pk in summaries else "未提交"])
        _table(doc, rows, widths=[4, 12])

    step(85, "正在写入典型案例和宣传稿件")
    _heading(doc, "三、典型案例和宣传稿件")
    typical = (Article.objects.live().filter(campaign=campaign, typical_at__isnull=False)
               .select_related("unit").order_by("typical_at"))
    for n, article in enumerate(typical, start=1):
        _para(doc, f"典型案例{n}：{article.title}（{article.unit.name}）")
        first = next((line for line in article.body.splitlines() if line.strip()), "")
        if first:
            _para(doc, first.strip()[:300], size=14)
    if not typical:
        _para(doc, "本次活动尚未评选典型案例。")
    published = (Article.objects.live().filter(campaign=campaign,
                                        publications__channel=Channel.WEBSITE)
                 .annotate(on=Max("publications__date",
                                  filter=Q(publications__channel=Channel.WEBSITE)))
                 .select_related("unit").order_by("on", "pk").distinct())
    if published:
        _para(doc, "在厅门户网站发布的宣传稿件：")
        _table(doc, [["发布日期", "单位", "标题"]]
               + [[f"{a.on:%Y-%m-%d}", a.unit.name, a.title] for a in published],
               widths=[3, 4, 9])

    _heading(doc, "四、报送不及时的单位")
    any_late = False
    for i, deadline in enumerate(matrix.deadlines):
        late = [(unit.name, rows[i]) for unit, rows in matrix.rows
                if rows[i].state in {State.LATE, State.MISSING}]
        if late:
            any_late = True
            names = "、".join(f"{name}（{status.detail}）" for name, status in late)
            _para(doc, f"{deadline.title}：{names}。")
    if not any_late:
        _para(doc, "各单位均按时报送。")
    _heading(doc, "五、下一步工作")
    _para(doc, "（请结合各单位总结补充经验做法、存在问题和下一步打算。）")
    step(95, "正在保存Word文件")
    return officedoc.to_bytes(doc)
