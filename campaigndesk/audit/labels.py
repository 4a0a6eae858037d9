"""Chinese names for what the audit log records, so the auditor reads words, not codes."""

import re
from datetime import datetime
from urllib.parse import parse_qsl

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出登录"),
    "auth.login_failed": _("登录失败"),
    "unit.create": _("新增单位"),
    "unit.update": _("修改单位"),
    "unit.delete": _("删除单位"),
    "unit.load": _("导入区划"),
    "account.create": _("新建账号"),
    "account.update": _("修改账号"),
    "account.reset_password": _("重置密码"),
    "account.privileged_role": _("授予或撤销审计员/安全管理员角色"),
    "campaign.create": _("新建活动"),
    "campaign.update": _("修改活动"),
    "campaign.copy": _("复制活动"),
    "campaign.close": _("关闭活动"),
    "campaign.reopen": _("重新开放活动"),
    "demo.load": _("加载演示数据"),
    "progress.save": _("保存进展统计表"),
    "progress.import": _("导入进展统计表"),
    "progress.submit": _("报送工作进展"),
    "progress.reopen": _("退回工作进展"),
    "progress.export": _("下载单位进展表"),
    "progress.export_consolidated": _("下载进展汇总表"),
    "progress.rebuild_totals": _("重算已报送合计"),
    "article.create": _("新建稿件"),
    "article.update": _("修改稿件"),
    "article.submit": _("报送稿件"),
    "article.resubmit": _("重新报送稿件"),
    "article.return": _("退回稿件"),
    "article.forward": _("盟市转报稿件"),
    "article.bureau_return": _("盟市退回稿件"),
    "cascade.open": _("盟市组织旗县区参加活动"),
    "cascade.update": _("修改盟市内部报送"),
    "cascade.remind": _("盟市催报旗县区"),
    "article.accept": _("采用稿件"),
    "article.typical": _("评为典型案例"),
    "article.publish": _("发布稿件"),
    "article.recommend": _("推荐至民政部"),
    "article.comment": _("稿件审核意见"),
    "article.photo_add": _("添加稿件照片"),
    "article.photo_caption": _("修改图片说明"),
    "article.photo_delete": _("删除稿件照片"),
    "article.import": _("导入稿件（Word）"),
    "article.delete": _("删除稿件"),
    "article.restore": _("恢复稿件"),
    "article.export": _("下载稿件汇编"),
    "article.list_export": _("导出稿件列表（Excel）"),
    "article.wechat_download": _("下载微信公众号排版"),
    "article.ministry_package": _("生成推荐至民政部材料包"),
    "ministry.import": _("导入省级材料包"),
    "ministry.refused": _("拒收省级材料包"),
    "ministry.photo_download": _("下载省级稿件照片原图"),
    "ministry.summary_download": _("下载省级活动总结"),
    "progress.upload": _("上传进展统计表"),
    "auth.password_change": _("修改本人密码"),
    "auth.otp_failed": _("动态验证码错误"),
    "api.token_create": _("创建API令牌"),
    "api.token_revoke": _("吊销API令牌"),
    "security.lock": _("锁定账号"),
    "security.unlock": _("解锁账号"),
    "security.lock_passed": _("锁定期间从其他地址登录"),
    "security.address_block": _("拦截来源地址"),
    "security.address_unlock": _("解除来源地址拦截"),
    "security.otp_enrol": _("启用动态验证码"),
    "security.otp_replace": _("更换动态验证码"),
    "security.otp_recovery_codes": _("生成恢复码"),
    "security.otp_reset": _("重置动态验证码"),
    "auth.otp_recovery": _("用恢复码登录"),
    "audit.export": _("导出审计日志"),
    "audit.purge": _("清理过期审计记录"),
    "backup.create": _("备份"),
    "reminder.send": _("发送截止提醒"),
    "reminder.manual": _("催报"),
    "reminder.settings": _("修改提醒设置"),
    "summary.submit": _("报送活动总结"),
    "summary.draft": _("生成活动总结草稿"),
    "summary.export": _("下载全部活动总结"),
    "dashboard.export": _("导出数据看板"),
    "article.import_refused": _("拒收 Word 文档"),
    "article.photo_refused": _("拒收照片"),
    "article.photo_download": _("查看照片原图"),
    "summary.refused": _("拒收总结文件"),
    "summary.download": _("下载活动总结文件"),
    "places.create": _("登记服务场所"),
    "places.update": _("修改服务场所"),
    "places.delete": _("删除服务场所"),
    "places.import": _("导入服务场所登记表"),
    "places.import_refused": _("拒收服务场所登记表"),
    "places.export": _("导出服务场所登记表"),
    "places.poster": _("生成服务场所海报"),
    "places.signage": _("确认服务场所标识张贴"),
    "places.signage_refused": _("拒收标识张贴照片"),
    "intake.receive": _("收到报送邮件"),
    "intake.assign": _("分配报送邮件的单位"),
    "intake.dismiss": _("报送邮件不予处理"),
    "intake.confirm": _("确认邮件报送"),
    "intake.discard": _("邮件附件不予采用"),
    "intake.download": _("下载邮件附件"),
    "intake.address_add": _("登记单位报送邮箱"),
    "intake.address_remove": _("删除单位报送邮箱"),
    "jobs.start": _("开始后台任务"),
    "jobs.done": _("后台任务完成"),
    "jobs.failed": _("后台任务失败"),
    "jobs.requeued": _("后台任务重新排队"),
    "jobs.download": _("下载后台任务生成的文件"),
    "access.denied": _("无权访问"),
    "access.not_found": _("访问不存在的对象"),
    "server.error": _("系统错误"),
}

SHOWN_LENGTH = 80
# Keys recorded with a list as their one value, never as [before, after] (催报's units).
LIST_VALUES = {"units"}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


EXTRA_FIELD_LABELS = {
    "vocabulary": _("活动词表"),
    "contacts": _("联系人"),
    "deadlines": _("报送节点"),
    "participants": _("参加单位"),
    "password": _("密码"),
    "created": _("新增"),
    "updated": _("更新"),
    "version": _("版本"),
    "channel": _("发布渠道"),
    "date": _("日期"),
    "photo": _("照片"),
    "quote": _("所选文字"),
    "recommended": _("推荐至民政部"),
    "units": _("单位"),
    "notice": _("站内通知"),
    "email": _("电子邮件"),
    "sms": _("短信"),
    # Keys of the summaries that services record (progress, summaries, reminders, security).
    "late": _("逾期"),
    "activities": _("活动条数"),
    "unchanged": _("未变"),
    "with_errors": _("有错误、按原样保存的行"),
    "deleted": _("删除"),
    "skipped": _("跳过"),
    "file": _("文件"),
    "size": _("文件大小（字节）"),
    "rows": _("行数"),
    "articles": _("稿件篇数"),
    "summaries": _("总结份数"),
    "filters": _("筛选条件"),
    "failures": _("连续失败次数"),
    "until": _("锁定至"),
    "locked_until": _("锁定至"),
    "days": _("保留天数"),
    "before": _("早于"),
    "offsets": _("截止前提醒（小时）"),
    "caption": _("图片说明"),
    "state": _("状态"),
    "path": _("地址"),
    "method": _("请求方式"),
    "error": _("错误类型"),
    "refused": _("拒收"),
    "address": _("电子邮箱"),
    "by_mail": _("邮件报送"),
    "errors": _("错误"),
    "campaign": _("活动"),
    # The places' lists (one entry per line) and their posters and signage.
    "services": _("服务清单"),
    "staff": _("服务人员"),
    "steps": _("服务流程"),
    "poster_size": _("海报尺寸"),
    "counted": _("计入已生成海报"),
    "replaced": _("替换原照片"),
}
# Texts with one entry per line: their changes are shown as lines added and removed.
LINE_LISTS = {"services", "staff", "steps"}


def field_label(object_type: str, field: str) -> str:
    try:
        model = apps.get_model(object_type)
        label = getattr(model._meta.get_field(field), "verbose_name", None)
    except (LookupError, ValueError, FieldDoesNotExist):
        label = None
    # Reverse relations and summary keys ("deadlines") have no verbose name of their own;
    # a field without one gets Django's default, its own name ("version"): not a label.
    if label and str(label) != field.replace("_", " "):
        return str(label)
    return str(EXTRA_FIELD_LABELS.get(field, field))


def shown(value) -> str:
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if value is None or value == "" or value == []:
        return gettext("（空）")
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def _choices(object_type: str, field: str) -> dict:
    try:
        model_field = apps.get_model(object_type)._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return {}
    return {str(k): str(v) for k, v in (getattr(model_field, "flatchoices", None) or [])}


# 2022-03-24T17:00:00+08:00, as services record moments (lock times, cut-offs).
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
FILTER_LABELS = {"user": _("用户名"), "action": _("操作"), "object_type": _("对象类型"),
                 "date_from": _("起始日期"), "date_to": _("截止日期"), "page": _("页码")}


def key_label(object_type: str, key: str) -> str:
    """A key inside a recorded dict: a vocabulary kind (服务领域…) or a field."""
    from campaigndesk.campaigns.models import VocabularyKind

    if key in VocabularyKind.values:
        return str(VocabularyKind(key).label)
    return field_label(object_type, key)


def value_text(object_type: str, field: str, value):
    """A recorded value in words: choice codes as their labels (typical → 典型案例), moments
    in Beijing time, a dict as its labelled parts; anything else as it was recorded."""
    choices = _choices(object_type, field)
    if choices and isinstance(value, str):
        return choices.get(value, value)
    if choices and isinstance(value, list):
        return [choices.get(str(v), v) for v in value]
    if isinstance(value, dict):
        return "；".join(f"{key_label(object_type, k)}：{shown(v)}" for k, v in value.items())
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    if field == "filters" and isinstance(value, str):
        pairs = [(k, v) for k, v in parse_qsl(value) if v]
        return "；".join(f"{FILTER_LABELS.get(k, k)}：{v}" for k, v in pairs) or gettext("（无）")
    return value
