from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigndesk.campaigns.models import Campaign
from campaigndesk.demo import DEMO_LOGINS, DEMO_PASSWORD, TITLE_2022, DemoModeOff, load_demo
from campaigndesk.demo_live import live_campaign


class Command(BaseCommand):
    help = ("加载演示数据（2022年社会工作主题宣传活动，以及日期平移到今天的演示副本），"
            "只在演示模式下可用，只加载一次")

    def handle(self, *args, **options):
        try:
            loaded = load_demo()
        except DemoModeOff as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("已加载演示数据" if loaded else "演示数据已存在，未重复加载")
        if Campaign.objects.filter(year=2022, title=TITLE_2022).exists():
            self.stdout.write(f"  {TITLE_2022}：2022年通知原文，日期均为2022年")
        live = live_campaign()
        if live is not None:
            upcoming = live.deadlines.filter(due_at__gt=timezone.now()).first()
            when = (f"，下一个截止：{upcoming.title} "
                    f"{timezone.localtime(upcoming.due_at):%Y-%m-%d %H:%M}" if upcoming else "")
            self.stdout.write(f"  {live.title}{when}")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {description}")
