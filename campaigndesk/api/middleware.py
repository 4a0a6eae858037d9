"""Every answer under /api/ is JSON, errors included.

The API's own refusals are JSON already (api.py). Some come from before the API is
reached — the request-size limit (413), NUL characters in the query (400), a method a route
does not have (ninja's plain "Method not allowed", 405) — and were HTML pages or English
text. This turns any non-JSON error under /api/ into the API's {"detail", "errors"} with a
Chinese sentence, keeping status and headers (Allow, Retry-After)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

from campaigndesk.core import API_PREFIX


def _detail(request, response) -> str:
    if response.status_code == 405:
        allowed = "、".join(m.strip() for m in response.get("Allow", "").split(",") if m)
        return _("此地址不支持 %(method)s 请求（可用：%(allowed)s）") % {
            "method": request.method, "allowed": allowed or _("无")}
    text = getattr(request, "api_error_text", "")
    if text:
        return text
    return {
        400: _("请求无法处理：请检查参数"),
        403: _("该令牌没有进行此操作的权限"),
        404: _("不存在，或不在该令牌的权限范围内"),
        413: _("请求过大，未保存任何内容"),
    }.get(response.status_code, _("请求无法处理"))


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        answer = HttpResponse(
            json.dumps({"detail": _detail(request, response), "errors": None},
                       ensure_ascii=False),
            status=response.status_code, content_type="application/json; charset=utf-8")
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer
