"""The reviewers' list of a campaign's briefs: its filters and its Excel export.

The page and the .xlsx read the same filters from the query string (状态, 单位, 标题或正文,
首次报送日期), so the export is exactly the list on screen, every row of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress.excel.sheet import Book
from campaigndesk.progress.excel_out import write_text

from .models import Article, ArticleVersion, Channel, State

MAX_QUERY = 100


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ListFilters:
    state: str = ""
    unit: str = ""  # the unit's code
    text: str = ""  # in the title or the body
    start: date | None = None  # first submitted on or after
    end: date | None = None  # first submitted on or before

    @classmethod
    def from_query(cls, params) -> ListFilters:
        state = params.get("state", "")
        start, end = _date(params.get("from")), _date(params.get("to"))
        if start and end and start > end:
            start, end = end, start
        return cls(state=state if state in State.values and state != State.DRAFT else "",
                   unit=params.get("unit", "").strip()[:20],
                   text=" ".join(params.get("q", "").split())[:MAX_QUERY],
                   start=start, end=end)

    def query(self) -> str:
        params = {"state": self.state, "unit": self.unit, "q": self.text,
                  "from": self.start.isoformat() if self.start else "",
                  "to": self.end.isoformat() if self.end else ""}
        return urlencode({k: v for k, v in params.items() if v})

    def describe(self, campaign: Campaign) -> str:
        """The filters in words, for the head of the export."""
        parts = []
        if self.unit:
            unit = campaign.participants.filter(code=self.unit).first()
            parts.append(_("单位：%(unit)s") % {"unit": unit.name if unit else self.unit})
        if self.state:
            parts.append(_("状态：%(state)s") % {"state": State(self.state).label})
        if self.text:
            parts.append(_("标题或正文含“%(text)s”") % {"text": self.text})
        if self.start or self.end:
            parts.append(_("首次报送：%(start)s至%(end)s") % {
                "start": self.start.isoformat() if self.start else "",
                "end": self.end.isoformat() if self.end else ""})
        return "；".join(parts) or _("全部稿件（草稿除外）")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def briefs(campaign: Campaign, filters: ListFilters) -> QuerySet[Article]:
    """The campaign's briefs past the draft stage that pass the filters, unit by unit."""
    # The versions' findings and explanations only, not their bodies: for open_errors.
    versions = Prefetch("versions", queryset=ArticleVersion.objects.only(
        "pk", "article_id", "number", "findings", "justification").order_by("number"))
    articles = (Article.objects.live().filter(campaign=campaign).exclude(state=State.DRAFT)
                .select_related("unit").prefetch_related("publications", versions)
                .order_by("unit__code", "-submitted_at", "pk"))
    if filters.state:
        articles = articles.filter(state=filters.state)
    if filters.unit:
        articles = articles.filter(unit__code=filters.unit)
    if filters.text:
        articles = articles.filter(Q(title__icontains=filters.text)
                                   | Q(body__icontains=filters.text))
    # Days are Beijing days: a brief sent at 00:30 on the 25th belongs to the 25th.
    if filters.start:
        articles = articles.filter(submitted_at__gte=_day_start(filters.start))
    if filters.end:
        articles = articles.filter(
            submitted_at__lt=_day_start(date.fromordinal(filters.end.toordinal() + 1)))
    return articles


@dataclass(frozen=True)
class OpenErrors:
    """What the reviewer looks at first: the errors the latest version was sent with
    (the reporter chose not to change them) and whether the reporter said why."""

    count: int
    explained: bool
    explanation: str

    def __str__(self) -> str:
        if not self.count:
            return "—"
        return _("%(n)s 处 · %(said)s") % {"n": self.count,
                                          "said": _("已说明") if self.explained else _("未说明")}


def open_errors(article: Article) -> OpenErrors:
    """From the prefetched versions (briefs()); the latest is the one under review."""
    latest = max(article.versions.all(), key=lambda v: v.number, default=None)
    if latest is None:
        return OpenErrors(0, False, "")
    text = latest.justification.strip()
    return OpenErrors(len(latest.open_errors), bool(text), text)


HEADER = ("序号", "单位", "标题", "状态", "首次报送", "采用", "典型案例", "推荐至民政部",
          *(label for _value, label in Channel.choices), "校对错误（处）", "未修改问题的说明")


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def row_cells(number: int, article: Article) -> list[str]:
    published = {p.channel: f"{p.date:%Y-%m-%d}" for p in article.publications.all()}
    errors = open_errors(article)
    return [str(number), article.unit.name, article.title, article.get_state_display(),
            _when(article.submitted_at), _when(article.accepted_at),
            _when(article.typical_at) or "否", _when(article.recommended_at) or "否",
            *(published.get(value, "") for value in Channel.values),
            str(errors.count), errors.explanation]


def write_list(out, campaign: Campaign, filters: ListFilters) -> int:
    """The list as one sheet; returns the number of briefs written."""
    book = Book(out)  # text stays text: a title starting with = is never a formula
    sheet = book.add_worksheet("稿件列表")
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1,
                            "text_wrap": True, "valign": "top"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    write_text(sheet, 0, 0, f"{campaign.title} 宣传稿件列表", title)
    write_text(sheet, 1, 0, f"筛选：{filters.describe(campaign)}")
    for col, text in enumerate(HEADER):
        write_text(sheet, 3, col, str(text), head)
    count = 0
    for count, article in enumerate(briefs(campaign, filters).iterator(chunk_size=500),
                                    start=1):
        for col, text in enumerate(row_cells(count, article)):
            write_text(sheet, 3 + count, col, text, cell)
    for col, width in enumerate((6, 14, 48, 12, 17, 17, 17, 17, 12, 12, 14, 10, 40)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 0)
    # Printed: A4 landscape, every column on the page, the header on every page.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    book.close()
    return count
