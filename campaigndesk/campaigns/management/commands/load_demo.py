from django.core.management.base import BaseCommand, CommandError

from campaigndesk.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoModeOff, load_demo


class Command(BaseCommand):
    help = "加载演示数据（2022年社会工作主题宣传活动），只在演示模式下可用，只加载一次"

    def handle(self, *args, **options):
        try:
            loaded = load_demo()
        except DemoModeOff as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("已加载演示数据" if loaded else "演示数据已存在，未重复加载")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {description}")
