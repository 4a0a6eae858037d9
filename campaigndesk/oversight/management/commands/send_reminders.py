"""`campaigndesk send_reminders`: run every few minutes from cron or a systemd timer.

Safe to run as often as wanted and concurrently: every reminder is claimed in the database
before it leaves (see oversight.reminders), so it is never sent twice. Being the periodic
command, it also removes the upload previews nobody confirmed (progress.uploads).
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigndesk.oversight.models import ReminderChannel
from campaigndesk.oversight.reminders import send_due
from campaigndesk.progress.uploads import PREVIEW_HOURS, expire_previews


class Command(BaseCommand):
    help = "发送报送截止前提醒和逾期提醒（每个提醒只发送一次，可每隔几分钟运行）"

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=None,
                            help="邮件中链接的网站地址，如 https://campaigndesk.example.org "
                                 "（默认取设置 CAMPAIGNDESK_SITE_URL）")
        parser.add_argument("--now", default=None,
                            help="按此时间计算（ISO 格式，用于补发或测试），默认当前时间")

    def handle(self, *args, base_url=None, now=None, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now={now!r} 不是 ISO 时间，如 2022-03-24T15:00") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        sent = send_due(moment, base_url=base_url)
        if sent:
            labels = dict(ReminderChannel.choices)
            detail = "，".join(f"{labels[channel]} {n}" for channel, n in sorted(sent.items()))
            self.stdout.write(f"已发送提醒：{detail}")
        else:
            self.stdout.write("没有需要发送的提醒")
        expired = expire_previews(moment.timestamp() if moment else None)
        if expired:
            self.stdout.write(f"已删除 {expired} 个超过 {PREVIEW_HOURS} 小时未确认的导入预览")
