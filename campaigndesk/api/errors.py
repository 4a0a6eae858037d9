"""The API's refusals as {field: [Chinese messages]}."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class BadBody(Exception):
    """A request body that is not JSON, or holds text the database cannot store."""


# pydantic's error types as the sentence a person reads.
MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为文字",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期，如 2022-03-18",
    "date_parsing": "应为日期，如 2022-03-18",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "extra_forbidden": "不是接口说明中的字段",
    "string_too_long": "太长",
    "number_type": "应为数字（不是 true/false）",
}


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "请求"


def request_errors(errors: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        kind = str(error.get("type", ""))
        context = error.get("ctx") or {}
        if kind in ("greater_than_equal", "greater_than"):
            text = _("不能小于 %(limit)s") % {"limit": context.get("ge", context.get("gt"))}
        elif kind in ("less_than_equal", "less_than"):
            text = _("不能大于 %(limit)s") % {"limit": context.get("le", context.get("lt"))}
        else:
            text = MESSAGES.get(kind, _("格式不正确"))
        found.setdefault(_where(error.get("loc", ())), []).append(text)
    return found


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
