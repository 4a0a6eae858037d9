"""Write routes: a round's activities (scope `write-progress`), submitting a round, and a
brief draft with photos (scope `write-articles`).

Rows go through the web grid's own checks (progress.grid.parse_post: the Excel reader
behind it) and its own save (progress.services.save_round), so the API accepts exactly
what the grid accepts, with the same Chinese messages, and saves nothing when any row is
wrong. Every write carries the round's `revision` as read; a stale or missing one is 409.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from campaigndesk.articles import photos as photo_checks
from campaigndesk.articles import services as articles
from campaigndesk.articles.forms import ArticleForm
from campaigndesk.audit.services import record
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.progress import grid, services
from campaigndesk.progress.models import Report, ReportStatus
from campaigndesk.units.permissions import Action

from .access import unit_campaign
from .api import api
from .models import Scope
from .read import READ, editable_deadlines, round_detail
from .schemas import Error, Id, RoundDetail

WRITE = Scope.WRITE_PROGRESS
REFUSALS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
# The grid's column keys as the API names them.
FIELD_NAMES = {"dates": "start_date", "funds": "funds_yuan", "materials": "materials_yuan",
               "activity_types": "activity_types", "focus_topics": "focus_topics",
               "five_social": "five_social"}
def _not_true_or_false(value):
    # pydantic takes true as 1 for an int: a count sent as a boolean is a mistake.
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "应为数字")
    return value


Number = Annotated[int | float | str, BeforeValidator(_not_true_or_false)]


class ActivityIn(Schema):
    """One row of 附件1, in the forms the grid and the Excel import accept."""

    id: int | None = Field(None, description="已有活动的 id（整轮替换时用；新增时省略）")
    name: str = Field("", description="活动名称")
    organizations: list[str] = Field(default_factory=list,
                                     description="参与活动的单位或社会组织（团队）名称")
    participants: Number = Field("", description="参与人次")
    start_date: str = Field("", description="活动开始日期，如 2022-03-18（也可写 3月18日）")
    end_date: str = Field("", description="活动结束日期（一天的活动可省略）")
    location: str = ""
    content: str = ""
    service_areas: list[str] = Field(default_factory=list,
                                     description="服务领域：本次活动列表中的名称")
    service_other: str = Field("", description="服务领域为“其他”时的说明")
    beneficiaries: Number = Field("", description="受益人次")
    funds_yuan: Number = Field("", description="链接资金（元），如 1500 或 1.5万")
    materials_yuan: Number = Field("", description="链接物资折价（元）")
    remarks: str = ""
    activity_types: list[str] = Field(default_factory=list, description="宣传活动类型（选填）")
    focus_topics: list[str] = Field(default_factory=list, description="宣传内容（选填）")
    five_social: list[str] = Field(default_factory=list, description="五社联动要素（选填）")


class OneActivity(Schema):
    revision: int | None = Field(None, description="读取本轮时的 revision")
    activity: ActivityIn


class AllActivities(Schema):
    revision: int | None = None
    activities: list[ActivityIn]


class SubmitIn(Schema):
    revision: int | None = None
    reporter_name: str = Field("", description="填报人")
    reporter_phone: str = Field("", description="手机号码")


class WriteOut(RoundDetail):
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    warnings: list[str] = []
    version: int | None = Field(None, description="报送后生成的版本号")


def _texts(activity: ActivityIn) -> dict[str, str]:
    areas = list(activity.service_areas)
    if activity.service_other.strip():
        other = f"其他（{activity.service_other.strip()}）"
        areas = [other if a == "其他" else a for a in areas]
        if other not in areas:
            areas.append(other)
    start, end = activity.start_date.strip(), activity.end_date.strip()
    dates = f"{start}至{end}" if end and end != start else start
    if end and not start:
        dates = f"至{end}"
    return {"name": activity.name, "organizations": "、".join(activity.organizations),
            "participants": str(activity.participants), "dates": dates,
            "location": activity.location, "content": activity.content,
            "service_areas": "、".join(areas), "beneficiaries": str(activity.beneficiaries),
            "funds": str(activity.funds_yuan), "materials": str(activity.materials_yuan),
            "remarks": activity.remarks, "activity_types": "、".join(activity.activity_types),
            "focus_topics": "、".join(activity.focus_topics),
            "five_social": "、".join(activity.five_social)}


def _post(rows: list[tuple[int | None, dict[str, str]]]) -> dict[str, str]:
    """The rows as the grid's form posts them."""
    data = {}
    for i, (pk, texts) in enumerate(rows):
        data[f"r-{i}-id"] = str(pk or "")
        data |= {f"r-{i}-{key}": text.strip() for key, text in texts.items()}
    return data


def _existing(report: Report, lists) -> list[tuple[int, dict[str, str]]]:
    return [(a.pk, grid.texts_of(a.to_row(), lists))
            for a in report.activities.live().prefetch_related("tags").order_by("position")]


def _round(request, campaign_id: int, code: str, deadline_id: int, *, writing: bool):
    action = Action.EDIT_UNIT_DATA if writing else Action.VIEW_UNIT
    # Reading a round (its rows and revision) is part of writing it: a write-progress token
    # needs no read scope to learn the revision it must send back.
    campaign, unit = unit_campaign(request, WRITE if writing else (READ, WRITE), action,
                                   campaign_id, code)
    deadline = campaign.deadlines.filter(pk=deadline_id, kind="progress").first()
    if deadline is None:
        raise Http404
    editable = editable_deadlines(campaign, unit)
    if writing:
        ensure_open(campaign)
        if deadline.pk not in editable:
            done = Report.objects.filter(deadline=deadline, unit=unit,
                                         status=ReportStatus.SUBMITTED).exists()
            raise HttpError(409, _("本轮报告已报送，需自治区管理员退回后才能修改") if done
                            else _("请先填报较早的一轮：新活动填入尚未报送的最早一轮"))
        report = (Report.objects.filter(deadline=deadline, unit=unit).first()
                  or services.current_report(campaign, unit))
    else:
        report = (Report.objects.filter(deadline=deadline, unit=unit).first()
                  or Report(deadline=deadline, unit=unit, status=ReportStatus.DRAFT))
    return campaign, unit, report, editable


def _revision(revision: int | None) -> int:
    if revision is None:
        raise HttpError(409, _("缺少 revision：请先读取本轮（GET …/rounds/{deadline_id}），"
                               "带回其 revision，以免覆盖他人刚保存的内容；未保存任何内容"))
    return revision


def _whole_round(i: int, field: str) -> str:
    return f"activities[{i}].{field}"


def _save(request, campaign, unit, report, rows, revision: int, *,
          where=_whole_round) -> dict:
    """Check every row as the grid does, then save them as the grid does. `where` names an
    error's place in the body that was sent (activities[3].name, or activity.name for a
    single activity: the round's other rows were not in the request)."""
    lists = grid.tag_lists(campaign)
    parsed = grid.parse_post(_post(rows), campaign, lists)
    if parsed.over_limit:
        raise HttpError(400, _("一次最多保存 %(limit)s 条活动，本次有 %(count)s 条；"
                               "未保存任何内容。请分批提交") % {
            "limit": grid.max_rows(), "count": len(parsed.rows)})
    errors = {where(i, FIELD_NAMES.get(key, key)): [message]
              for i, row in enumerate(parsed.rows) for key, message in row.errors.items()}
    if errors:
        from .api import _answer

        return _answer(request, _("有单元格需要修改；未保存任何内容"), 400, errors)
    result = services.save_round(request.principal, report, parsed.to_save(),
                                 expected_revision=revision)
    report.refresh_from_db()
    return {**round_detail(report, editable_deadlines(campaign, unit)),
                 "created": result.created, "updated": result.updated,
                 "deleted": result.deleted, "unchanged": result.unchanged,
                 "warnings": parsed.warnings}


ROUND = "/campaigns/{campaign_id}/units/{code}/rounds/{deadline_id}"


@api.get(ROUND, response={200: RoundDetail, **REFUSALS}, tags=["填报"],
         summary="一轮的工作行（草稿）与 revision")
def round_get(request, campaign_id: Id, code: str, deadline_id: Id):
    campaign, unit, report, editable = _round(request, campaign_id, code, deadline_id,
                                              writing=False)
    return round_detail(report, editable)


@api.put(ROUND + "/activities", response={200: WriteOut, **REFUSALS}, tags=["填报"],
         summary="整轮替换（同网页表格保存：未列出的已有活动被删除）")
def activities_replace(request, campaign_id: Id, code: str, deadline_id: Id,
                       payload: AllActivities):
    campaign, unit, report, _e = _round(request, campaign_id, code, deadline_id, writing=True)
    revision = _revision(payload.revision)
    rows = [(a.id, _texts(a)) for a in payload.activities]
    return _save(request, campaign, unit, report, rows, revision)


@api.post(ROUND + "/activities", response={200: WriteOut, **REFUSALS}, tags=["填报"],
          summary="新增一条活动",
          description="在本轮已有活动之后新增一条；body 为 {revision, activity}。检查与网页"
                      "表格相同，出错时 errors 的键为 activity.字段名。")
def activity_create(request, campaign_id: Id, code: str, deadline_id: Id,
                    payload: OneActivity):
    campaign, unit, report, _e = _round(request, campaign_id, code, deadline_id, writing=True)
    revision = _revision(payload.revision)
    rows = _existing(report, grid.tag_lists(campaign)) + [(None, _texts(payload.activity))]
    return _save(request, campaign, unit, report, rows, revision,
                 where=_single(len(rows) - 1))


def _single(index: int):
    """Errors of a one-activity request: its own row as `activity.…`; the round's other
    rows (already saved, so valid unless the campaign's lists changed) as `activities[i]`."""
    def where(i: int, field: str) -> str:
        return f"activity.{field}" if i == index else _whole_round(i, field)
    return where


def _known(rows, activity_id: int) -> None:
    if all(pk != activity_id for pk, _texts in rows):
        raise Http404


@api.put(ROUND + "/activities/{activity_id}", response={200: WriteOut, **REFUSALS},
         tags=["填报"], summary="修改一条活动")
def activity_update(request, campaign_id: Id, code: str, deadline_id: Id, activity_id: Id,
                    payload: OneActivity):
    campaign, unit, report, _e = _round(request, campaign_id, code, deadline_id, writing=True)
    revision = _revision(payload.revision)
    rows = _existing(report, grid.tag_lists(campaign))
    _known(rows, activity_id)
    rows = [(pk, _texts(payload.activity) if pk == activity_id else texts)
            for pk, texts in rows]
    index = next(i for i, (pk, _t) in enumerate(rows) if pk == activity_id)
    return _save(request, campaign, unit, report, rows, revision, where=_single(index))


@api.delete(ROUND + "/activities/{activity_id}", response={200: WriteOut, **REFUSALS},
            tags=["填报"], summary="删除一条活动")
def activity_delete(request, campaign_id: Id, code: str, deadline_id: Id, activity_id: Id,
                    revision: int | None = None):
    campaign, unit, report, _e = _round(request, campaign_id, code, deadline_id, writing=True)
    revision = _revision(revision)
    rows = _existing(report, grid.tag_lists(campaign))
    _known(rows, activity_id)
    return _save(request, campaign, unit, report,
                 [(pk, texts) for pk, texts in rows if pk != activity_id], revision)


@api.post(ROUND + "/submit", response={200: WriteOut, **REFUSALS}, tags=["填报"],
          summary="报送本轮（冻结为新版本）",
          description="把本轮当前的活动冻结为新版本并报送（逾期也可报送，标记为逾期）。"
                      "body：{revision, reporter_name 填报人, reporter_phone 手机号码}。"
                      "报送后本轮只读，直到自治区管理员退回。")
def round_submit(request, campaign_id: Id, code: str, deadline_id: Id, payload: SubmitIn):
    campaign, unit, report, _e = _round(request, campaign_id, code, deadline_id, writing=True)
    revision = _revision(payload.revision)
    version = services.submit_report(request.principal, report,
                                     reporter_name=payload.reporter_name,
                                     reporter_phone=payload.reporter_phone,
                                     expected_revision=revision)
    report.refresh_from_db()
    return {**round_detail(report, editable_deadlines(campaign, unit)),
                 "version": version.number}


class BriefCreated(Schema):
    id: int
    title: str
    state: str
    version: int
    photos: int
    web_url: str


@api.post("/campaigns/{campaign_id}/units/{code}/briefs",
          response={201: BriefCreated, **REFUSALS}, tags=["稿件"],
          summary="上传宣传稿件草稿（可带照片，multipart/form-data）",
          description="字段：title、body、time_text/place_text/recipients_text/"
                      "participants_text（四要素）、activity（可选：关联活动的 id，须为本单位"
                      "本次活动中的活动）、photos（可多张，JPEG/PNG/WebP/HEIC，每张不超过 "
                      "20 MB）、captions（与 photos 一一对应的图片说明）。任一照片不合格时"
                      "不保存任何内容。")
def brief_create(request, campaign_id: Id, code: str, title: Form[str] = "",
                 body: Form[str] = "", time_text: Form[str] = "", place_text: Form[str] = "",
                 recipients_text: Form[str] = "", participants_text: Form[str] = "",
                 activity: Form[str] = "", captions: Form[list[str]] = None,
                 photos: File[list[UploadedFile]] = None):
    """The web's checks: the brief's form (ArticleForm), each photo's content and size
    (articles.photos); every photo is checked before anything is saved."""
    from django.urls import reverse

    campaign, unit = unit_campaign(request, Scope.WRITE_ARTICLES, Action.WRITE_ARTICLES,
                                   campaign_id, code)
    ensure_open(campaign)
    form = ArticleForm({"title": title, "body": body, "time_text": time_text,
                        "place_text": place_text, "recipients_text": recipients_text,
                        "participants_text": participants_text, "activity": activity},
                       activities=articles.unit_activities(campaign, unit))
    if not form.is_valid():
        from .api import _answer

        return _answer(request, _("稿件内容需要修改；未保存任何内容"), 400,
                       {k: [str(m) for m in v] for k, v in form.errors.items()})
    uploads = list(photos or [])
    if len(uploads) > articles.MAX_PHOTOS:
        raise articles.too_many_photos()
    processed = []
    for upload in uploads:
        try:
            processed.append(photo_checks.process(photo_checks.read_upload(upload)))
        except photo_checks.PhotoRefused as exc:
            record(request.principal, "article.photo_refused", unit,
                   changes={"photo": (upload.name or "")[:120], "size": upload.size},
                   message=str(exc))
            raise photo_checks.PhotoRefused(f"{upload.name}：{exc}") from None
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    draft = articles.new_article(request.principal, campaign=campaign, unit=unit, **fields)
    captions = list(captions or [])
    with transaction.atomic():
        article = articles.save_new_article(request.principal, draft)
        for i, (upload, checked) in enumerate(zip(uploads, processed, strict=True)):
            articles.add_photo(request.principal, article, checked,
                               caption=captions[i] if i < len(captions) else "",
                               original_name=upload.name or "")
    return Status(201, {"id": article.pk, "title": article.title, "state": article.state,
                 "version": article.version, "photos": len(processed),
                 "web_url": reverse("article_detail", kwargs={"pk": article.pk})})
