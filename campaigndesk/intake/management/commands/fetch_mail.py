"""`campaigndesk fetch_mail`: run every few minutes from cron or a systemd timer.

Reads the mailbox of MAIL_INTAKE_URL (read-only) and files each new message once: safe
to run as often as wanted, and two runs that overlap never take a message twice (see
intake.filing). Exit status 1 when the mailbox cannot be read, with the reason.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigndesk.intake import filing
from campaigndesk.intake.imap import MailboxError


class Command(BaseCommand):
    help = ("读取厅报送邮箱的新邮件：统计表和稿件分到发件单位待确认"
            "（每封只读一次，可每隔几分钟运行）")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None,
                            help="本次最多读取的新邮件数（默认不限）")

    def handle(self, *args, limit=None, **options):
        if not settings.MAIL_INTAKE:
            raise CommandError("未配置 MAIL_INTAKE_URL（如 imaps://用户名:授权码@imap.163.com/INBOX），"
                               "没有读取任何邮件")
        if limit is not None and limit < 1:
            raise CommandError("--limit 应为正整数")
        try:
            result = filing.run(limit=limit)
        except MailboxError as exc:
            raise CommandError(str(exc)) from None
        if not result.messages:
            self.stdout.write("没有新邮件")
            return
        self.stdout.write(
            f"读取新邮件 {result.messages} 封（{result.seconds:.1f} 秒）：待单位确认的附件 "
            f"{result.pending} 个，待分配单位的邮件 {result.needs_unit} 封，拒收附件 "
            f"{result.refused} 个，处理失败 {result.failed} 封")
