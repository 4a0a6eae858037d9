"""Chinese names for what the audit log records, so the auditor reads words, not codes."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "unit.create": "新增单位",
    "unit.update": "修改单位",
    "unit.delete": "删除单位",
    "unit.load": "导入区划",
    "account.create": "新建账号",
    "account.update": "修改账号",
    "account.reset_password": "重置密码",
    "campaign.create": "新建活动",
    "campaign.update": "修改活动",
    "campaign.copy": "复制活动",
    "demo.load": "加载演示数据",
}

SHOWN_LENGTH = 80


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_type_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


EXTRA_FIELD_LABELS = {
    "vocabulary": "活动词表",
    "contacts": "联系人",
    "deadlines": "报送节点",
    "participants": "参加单位",
    "password": "密码",
    "created": "新增",
    "updated": "更新",
}


def field_label(object_type: str, field: str) -> str:
    try:
        model = apps.get_model(object_type)
        label = getattr(model._meta.get_field(field), "verbose_name", None)
    except (LookupError, ValueError, FieldDoesNotExist):
        label = None
    # Reverse relations and summary keys ("deadlines") have no verbose name of their own.
    return str(label) if label else EXTRA_FIELD_LABELS.get(field, field)


def shown(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"
