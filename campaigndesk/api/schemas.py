"""What the API sends and takes, as pydantic models (they make the OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from campaigndesk.params import MAX_ID
from campaigndesk.progress.table import Totals, fen_to_text

# Ids in paths and queries: at most what SQLite can look up (larger ones answer 422).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Error(Schema):
    detail: str = Field(description="说明（中文）")
    errors: dict[str, list[str]] | None = Field(None, description="按字段列出的错误")


class DeadlineOut(Schema):
    id: int
    kind: str = Field(description="progress（工作进展）或 summary（活动总结）等")
    title: str
    due_at: datetime


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    document_number: str
    slogan: str
    start_date: date
    end_date: date
    is_closed: bool
    participants: list[str] = Field(description="参加单位的代码")


class CampaignDetail(CampaignOut):
    deadlines: list[DeadlineOut]


class UnitOut(Schema):
    code: str
    name: str
    short_names: list[str]
    level: str
    is_active: bool
    reports_to: str | None = Field(description="报送上级的代码（统计与权限按此）")
    geo_parent: str | None = Field(description="所在地区的代码")


class StatusOut(Schema):
    deadline_id: int
    state: str = Field(description="on_time / late / open / missing / reopened")
    label: str
    detail: str
    submitted_at: datetime | None


class UnitStatusOut(Schema):
    unit: str
    unit_name: str
    statuses: list[StatusOut]


class TotalsOut(Schema):
    activities: int
    participants: int
    beneficiaries: int
    funds_fen: int
    materials_fen: int
    funds_yuan: str
    materials_yuan: str

    @staticmethod
    def of(totals: Totals) -> TotalsOut:
        return TotalsOut(activities=totals.activities, participants=totals.participants,
                         beneficiaries=totals.beneficiaries, funds_fen=totals.funds_fen,
                         materials_fen=totals.materials_fen,
                         funds_yuan=fen_to_text(totals.funds_fen),
                         materials_yuan=fen_to_text(totals.materials_fen))


class ActivityOut(Schema):
    id: int | None
    name: str
    organizations: list[str]
    participants: int
    start_date: date | None
    end_date: date | None
    location: str
    content: str
    service_areas: list[str]
    service_other: str
    beneficiaries: int
    funds_fen: int
    materials_fen: int
    remarks: str
    tags: dict[str, list[str]] = Field(description="activity_type / focus_topic / five_social")


class ReportedActivityOut(ActivityOut):
    unit: str
    unit_name: str
    deadline_id: int
    round: str
    version: int


class ActivityPage(Schema):
    count: int
    page: int
    page_size: int
    totals: TotalsOut = Field(description="筛选条件下全部已报送活动的合计（不只本页）")
    results: list[ReportedActivityOut]


class RoundOut(Schema):
    deadline_id: int
    title: str
    due_at: datetime
    status: str = Field(description="draft（填报中）/ submitted（已报送）/ reopened（已退回修改）")
    status_label: str
    revision: int = Field(description="写入时须原样带回（乐观锁）")
    editable: bool
    versions: int


class RoundDetail(RoundOut):
    activities: list[ActivityOut] = Field(
        description="本轮的工作行（未报送前为草稿，不计入任何合计）")
    reported_totals: TotalsOut = Field(description="本轮最近一次报送版本的合计")


class SummaryOut(Schema):
    unit: str
    unit_name: str
    deadline_id: int
    deadline: str
    versions: int
    latest_version: int
    submitted_at: datetime
    is_late: bool
    file_kind: str
    original_name: str
    size_bytes: int
    text_length: int


class PhotoOut(Schema):
    caption: str
    width: int
    height: int
    url: str
    thumbnail_url: str


class BriefOut(Schema):
    id: int
    title: str
    unit: str
    unit_name: str
    campaign_id: int
    published_on: date | None
    is_typical: bool
    body: str
    photos: list[PhotoOut]


class BriefPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BriefOut]
