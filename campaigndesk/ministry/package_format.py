"""The package's format: its name, the versions this installation reads and writes, the
JSON Schemas shipped with it (schemas/v1/), and their checks worded for people.

See docs/ministry-package/README.md for the fields and the versioning rule.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

FORMAT_NAME = "campaigndesk-ministry-package"
FORMAT_VERSION = 1
# Versions a reader here understands. A version is the whole format: any change to a file's
# fields, their meaning or the file list makes a new one, so a reader never guesses.
READABLE_VERSIONS = frozenset({1})

MANIFEST = "manifest.json"
FIGURES = "figures.json"
BRIEFS = "briefs.json"
SUMMARY = "summary.json"
# The JSON files every package holds, each with its schema of the same name.
JSON_FILES = (FIGURES, BRIEFS, SUMMARY)

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@cache
def validator(version: int, file_name: str) -> Draft202012Validator:
    schema_path = SCHEMA_DIR / f"v{version}" / file_name.replace(".json", ".schema.json")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def field_path(error: SchemaError) -> str:
    """files[3].sha256, or 整个文件 for the top level."""
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "整个文件"


def _reason(error: SchemaError) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = next((name for name in expected if name not in (error.instance or {})), "")
        return f"缺少字段“{missing}”"
    if kind == "additionalProperties":
        return "有本版格式没有的字段（" + error.message.split("(")[-1].rstrip(")") + "）"
    if kind == "type":
        names = {"string": "文字", "integer": "整数", "object": "对象", "array": "列表",
                 "boolean": "是/否", "null": "空"}
        wanted = expected if isinstance(expected, list) else [expected]
        return "应为" + "或".join(names.get(t, t) for t in wanted)
    if kind in {"const", "enum"}:
        return "取值不对"
    if kind == "pattern":
        return "格式不对"
    if kind == "format":
        return {"date": "应为日期（如 2022-03-17）",
                "date-time": "应为日期时间（如 2022-03-17T09:00:00+08:00）"}.get(expected,
                                                                                 "格式不对")
    if kind in {"minimum", "exclusiveMinimum"}:
        return f"不能小于 {expected}"
    if kind in {"maximum", "exclusiveMaximum"}:
        return f"不能大于 {expected}"
    if kind == "minLength":
        return "不能为空" if expected == 1 else f"至少 {expected} 个字符"
    if kind == "maxLength":
        return f"超过 {expected} 个字符"
    if kind == "minItems":
        return f"至少应有 {expected} 项"
    if kind == "maxItems":
        return f"超过 {expected} 项"
    return "不符合格式要求"


def problem(version: int, file_name: str, data) -> str | None:
    """The first schema violation of `data` as a Chinese sentence naming the file and the
    field, or None when it is valid."""
    errors = sorted(validator(version, file_name).iter_errors(data),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    if not errors:
        return None
    first = errors[0]
    return f"{file_name} 的 {field_path(first)}：{_reason(first)}"
