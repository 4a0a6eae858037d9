"""`campaigndesk fetch_mail`: one fetch now, in this process. The job worker (`run_worker`)
fetches every MAIL_INTAKE_FETCH_MINUTES by itself (campaigndesk.intake.fetch_job); this
command is for cron instead (MAIL_INTAKE_FETCH_MINUTES=0) or by hand.

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
        self.stdout.write(result.text())
