"""The REST API at /api/v1/ (django-ninja): the OpenAPI 3 schema at /api/v1/schema/, its
browsable docs at /api/v1/docs/ from our own static files (no CDN; see README.md here).

Every answer that is not a success is JSON {"detail": "<Chinese sentence>", "errors":
{field: [messages]} or null}, never a 500 for bad input.
"""

from __future__ import annotations

import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.parser import Parser
from ninja.security import HttpBearer

from campaigndesk.articles.photos import PhotoRefused
from campaigndesk.articles.services import TransitionRefused
from campaigndesk.audit.context import Origin, current_origin, set_origin
from campaigndesk.campaigns.services import CampaignClosed
from campaigndesk.core.characters import control_message
from campaigndesk.core.concurrency import EditConflict
from campaigndesk.progress.services import ReportLocked
from campaigndesk.security.errors import BUSY, audit_server_error, is_database_busy

from .access import ScopeMissing
from .errors import BadBody, field_errors, request_errors
from .ratelimit import RateLimited, check_rate
from .tokens import find_token, mark_used, principal_for

logger = logging.getLogger("campaigndesk.api")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cdk_…`: a usable token, counted against its rate limit."""

    def authenticate(self, request, token: str):
        found = find_token(token)
        if found is None:
            return None
        check_rate(found)
        mark_used(found)
        request.principal = principal_for(found)
        # Every audit entry written while serving this request names the token. Reset with
        # the request's own origin by AuditContextMiddleware.
        set_origin(Origin(address=current_origin().address, via_token=found.name))
        return found


class StrictJsonParser(Parser):
    """JSON bodies without control characters (NUL: the database cannot store it) or lone
    surrogates."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise BadBody(_("请求正文不是有效的 JSON")) from None
        _check_text(data)
        return data


def _check_text(value, where: str = "") -> None:
    """Every string of the body: control characters are refused naming the field by its
    path in the JSON (core.characters, as the web's forms), lone surrogates too."""
    if isinstance(value, str):
        if problem := control_message(value, where or _("请求正文")):
            raise BadBody(problem)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadBody(_("提交的内容含有无效的字符编码")) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where or _("字段名"))
            _check_text(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}[{index}]")


class CampaignDeskApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status,
                                           temporal_response=temporal_response)
        if getattr(request, "auth", None) is not None:
            # What a token reads is no one else's: never kept by a cache on the way (the
            # web does the same for logged-in pages, security.middleware.NoStoreMiddleware).
            add_never_cache_headers(response)
        return response


api = CampaignDeskApi(
    title="Campaign Desk API",
    version="1",
    description=(
        "内蒙古自治区民政厅社会工作主题宣传活动的数据接口。除公开的已发布稿件外，"
        "每个请求须带 `Authorization: Bearer <令牌>`；令牌由自治区管理员在“账号管理 → API令牌”"
        "创建。单位令牌的权限与该单位填报员在网页上的权限相同。出错时返回 "
        '`{"detail": "说明", "errors": {"字段": ["说明"]}}`。\n\n'
        "填报一轮的步骤：① `GET …/rounds/{deadline_id}` 读取本轮的活动和 `revision`"
        "（read 或 write-progress 权限均可）；② 用 `PUT …/activities`（整轮替换）或"
        "`POST/PUT/DELETE …/activities[/{activity_id}]`（逐条）写入，每次都带回最新的 "
        "`revision`（每次写入后返回新的 revision），过期或缺少时返回 409，未保存任何内容；"
        "③ `POST …/submit` 报送，冻结为新版本。各轮按截止时间先后填报：新活动只能写入"
        "尚未报送的最早一轮；已报送的一轮须由自治区管理员退回后才能修改。"
        "活动日期不在本次活动时间内时，保存成功但在 `warnings` 中提示。"),
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    # No validator badge: it would load an image from the internet (blocked by the CSP).
    docs=Swagger(settings={"validatorUrl": None}),
    auth=TokenAuth(),
    parser=StrictJsonParser(),
)


def _answer(request, detail: str, status: int, errors: dict | None = None, **headers):
    response = api.create_response(request, {"detail": detail, "errors": errors},
                                   status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return _answer(request, _("缺少或无效的API令牌：请在 Authorization 头中发送 "
                              "“Bearer 令牌”；令牌可能已过期或被吊销"), 401,
                   WWW_Authenticate="Bearer")


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return _answer(request, _("请求过于频繁：每个令牌每分钟最多 %(limit)s 次，请 %(wait)s 秒后再试")
                   % {"limit": _limit(), "wait": exc.retry_after}, 429,
                   Retry_After=str(exc.retry_after))


def _limit() -> int:
    from django.conf import settings

    return settings.API_RATE_LIMIT_PER_MINUTE


@api.exception_handler(ScopeMissing)
def _scope_missing(request, exc):
    return _answer(request, str(exc), 403)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return _answer(request, _("该令牌没有进行此操作的权限"), 403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _answer(request, _("不存在，或不在该令牌的权限范围内"), 404)


@api.exception_handler(RequestInvalid)
def _invalid(request, exc):
    detail = (_("请求参数不符合接口说明") if request.method in ("GET", "HEAD")
              else _("请求内容不符合接口说明，未保存任何内容"))
    return _answer(request, detail, 422, request_errors(exc.errors))


@api.exception_handler(BadBody)
def _bad_body(request, exc):
    return _answer(request, str(exc), 400)


@api.exception_handler(ValidationError)
def _refused(request, exc):
    return _answer(request, _("有内容需要修改，未保存任何内容"), 400, field_errors(exc))


@api.exception_handler(EditConflict)
def _conflict(request, exc):
    # The web's sentence speaks of the form kept on the page; a program needs the next step.
    return _answer(request, _("本轮在您读取之后已被修改（当前 revision 为 %(current)s）："
                              "请重新读取本轮（GET …/rounds/{deadline_id}）后再提交；"
                              "未保存任何内容") % {"current": exc.current}, 409,
                   {"revision": [str(exc.current)]})


@api.exception_handler(ReportLocked)
@api.exception_handler(CampaignClosed)
@api.exception_handler(TransitionRefused)
def _state_refused(request, exc):
    return _answer(request, str(exc), 409)


@api.exception_handler(PhotoRefused)
def _photo_refused(request, exc):
    return _answer(request, str(exc), 400, {"photos": [str(exc)]})


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, BadBody):  # ninja wraps the parser's refusal
        return _answer(request, str(exc.__cause__), 400)
    if exc.__cause__ is not None:
        return _answer(request, _("请求正文无法解析"), exc.status_code)
    return _answer(request, str(exc), exc.status_code)


@api.exception_handler(Exception)
def _server_error(request, exc):
    if is_database_busy(exc):
        return _answer(request, str(BUSY), 503, Retry_After="10")
    logger.exception("API error: %s %s", request.method, request.path)
    audit_server_error(request, exc)
    return _answer(request, _("系统出错，请稍后再试；问题已记录"), 500)


from . import public, read, write  # noqa: E402,F401 - routes register themselves on `api`
