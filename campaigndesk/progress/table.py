"""The progress statistics table (附件1) as plain data: its columns and one activity row.

Shared by the Excel reader, the Excel writers, the web grid and the database layer. No
Django here, so the reader and writers can be tested and benchmarked on their own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# The longest text the database keeps in these columns (progress.models: max_length).
TEXT_LIMITS = {"name": 200, "location": 200, "service_other": 200}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel column width in characters, for the writers


# In the order of attachment 1. 链接资金 and 链接物资折价 sit under the merged
# 链接资源情况 header in the file.
SEQUENCE = Column("seq", "序号", 5)
COLUMNS: tuple[Column, ...] = (
    Column("name", "活动名称", 22),
    Column("organizations", "参与活动的单位或社会组织（团队）名称", 24),
    Column("participants", "参与人次", 9),
    Column("dates", "活动开展时间", 13),
    Column("location", "活动地点", 16),
    Column("content", "活动内容", 34),
    Column("service_areas", "服务领域（老年人、残疾人、妇女、儿童青少年、困难群体等）", 18),
    Column("beneficiaries", "受益人次", 9),
    Column("funds", "链接资金（元）", 13),
    Column("materials", "链接物资折价（元）", 13),
    Column("remarks", "备注", 14),
)
RESOURCES_HEADER = "链接资源情况"
TITLE = "盟市社会工作主题宣传活动工作进展情况统计表"


@dataclass
class ActivityRow:
    """One activity. Amounts are whole fen (分), never floats, so sums are exact."""

    name: str = ""
    organizations: list[str] = field(default_factory=list)
    participants: int = 0
    start: date | None = None
    end: date | None = None
    location: str = ""
    content: str = ""
    service_areas: list[str] = field(default_factory=list)  # labels of the campaign's list
    service_other: str = ""  # the free text that goes with 其他
    beneficiaries: int = 0
    funds_fen: int = 0
    materials_fen: int = 0
    remarks: str = ""
    # Optional tags beyond attachment 1, by vocabulary kind (activity_type, focus_topic,
    # five_social): labels of the campaign's lists. Files never carry them; the web does.
    tags: dict[str, list[str]] = field(default_factory=dict)
    row: int | None = None  # 1-based sheet row, when the activity was read from a file
    sheet: str = ""  # its sheet, when the file had the table on several sheets
    # Issue 17: the county whose submitted row a bureau's report carries ("" its own row).
    origin: str = ""


@dataclass(frozen=True)
class Problem:
    """A problem in one cell (or one row, or the file): what a user must fix or know."""

    row: int | None  # 1-based sheet row; None for the whole file
    column: str  # header text as found in the file ("" when not about one column)
    message: str  # Chinese, says what is wrong and what is expected


def service_labels(row: ActivityRow) -> list[str]:
    """服务领域 as people write it: the labels in order, 其他 with its text in brackets
    (其他（社区居民）), which the reader turns back into the label and the text."""
    parts = []
    other_done = False
    for label in row.service_areas:
        if label.startswith(("其他", "其它")) and row.service_other:
            parts.append(f"{label}（{row.service_other}）")
            other_done = True
        else:
            parts.append(label)
    if row.service_other and not other_done:
        parts.append(f"其他（{row.service_other}）")
    return parts


def fen_to_text(fen: int) -> str:
    """12345 -> '123.45' (the JSON and display form of an amount in yuan)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def fen_to_yuan(fen: int) -> str:
    """123456789 -> '1,234,567.89', -150 -> '-1.50': yuan with thousands separators, for
    people to read."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def dates_text(start: date | None, end: date | None) -> str:
    """The 活动开展时间 cell as people write it: 2022-03-18 or 2022-03-18至2022-03-20."""
    if start is None:
        return ""
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()}至{end.isoformat()}"


@dataclass(frozen=True)
class Totals:
    """Sums over activity rows: what a 合计 row shows (amounts in whole fen)."""

    activities: int = 0
    participants: int = 0
    beneficiaries: int = 0
    funds_fen: int = 0
    materials_fen: int = 0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.activities + other.activities,
                      self.participants + other.participants,
                      self.beneficiaries + other.beneficiaries,
                      self.funds_fen + other.funds_fen,
                      self.materials_fen + other.materials_fen)


def totals_of(rows: Iterable[ActivityRow]) -> Totals:
    """Exact sums of a set of activities (integers only, so no float leftovers)."""
    activities = participants = beneficiaries = funds = materials = 0
    for r in rows:
        activities += 1
        participants += r.participants
        beneficiaries += r.beneficiaries
        funds += r.funds_fen
        materials += r.materials_fen
    return Totals(activities, participants, beneficiaries, funds, materials)


@dataclass
class SummaryRow:
    """One reporting unit on the 汇总 sheet of the consolidated workbook."""

    unit_name: str
    activities: int = 0
    participants: int = 0
    beneficiaries: int = 0
    funds_fen: int = 0
    materials_fen: int = 0
    # One text per deadline, in the order of the deadlines: 按时 / 迟报（2小时30分钟） / 未报.
    statuses: list[str] = field(default_factory=list)
