"""Project checks for `campaigndesk check --deploy`: settings that are fine on a laptop and
wrong on the server. Errors, so that the deployment's `check --deploy` fails on them."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs) -> list[Error]:
    problems = []
    if settings.DEMO_MODE:
        problems.append(Error(
            "演示模式已开启（CAMPAIGNDESK_DEMO=1）：演示账号共用公开的密码，且免于密码策略",
            hint="生产环境去掉 CAMPAIGNDESK_DEMO 或设为 0，并删除演示账号",
            id="campaigndesk.E001"))
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(Error(
            "ALLOWED_HOSTS 含 *：任何主机名的请求都会被接受（Host 头攻击、密码重置链接被改写）",
            hint="把 ALLOWED_HOSTS 设为本站的域名，如 campaign.example.gov.cn",
            id="campaigndesk.E002"))
    return problems
