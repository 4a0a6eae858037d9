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
    "progress.save": "保存进展统计表",
    "progress.import": "导入进展统计表",
    "progress.submit": "报送工作进展",
    "progress.reopen": "退回工作进展",
    "progress.export": "下载单位进展表",
    "progress.export_consolidated": "下载进展汇总表",
    "article.create": "新建稿件",
    "article.update": "修改稿件",
    "article.submit": "报送稿件",
    "article.resubmit": "重新报送稿件",
    "article.return": "退回稿件",
    "article.accept": "采用稿件",
    "article.typical": "评为典型案例",
    "article.publish": "发布稿件",
    "article.recommend": "推荐至民政部",
    "article.comment": "稿件审核意见",
    "article.photo_add": "添加稿件照片",
    "article.photo_caption": "修改图片说明",
    "article.photo_delete": "删除稿件照片",
    "article.import": "导入稿件（Word）",
    "article.delete": "删除稿件",
    "article.restore": "恢复稿件",
    "article.export": "下载稿件汇编",
    "progress.upload": "上传进展统计表",
    "auth.password_change": "修改本人密码",
    "auth.otp_failed": "动态验证码错误",
    "security.lock": "锁定账号",
    "security.unlock": "解锁账号",
    "security.otp_enrol": "启用动态验证码",
    "audit.export": "导出审计日志",
    "audit.purge": "清理过期审计记录",
    "backup.create": "备份",
    "reminder.send": "发送截止提醒",
    "reminder.manual": "催报",
    "reminder.settings": "修改提醒设置",
    "summary.submit": "报送活动总结",
    "summary.draft": "生成活动总结草稿",
    "dashboard.export": "导出数据看板",
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
    "version": "版本",
    "channel": "发布渠道",
    "date": "日期",
    "photo": "照片",
    "quote": "所选文字",
    "recommended": "推荐至民政部",
    "units": "单位",
    "notice": "站内通知",
    "email": "电子邮件",
    "sms": "短信",
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
