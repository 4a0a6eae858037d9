from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress.exports import write_consolidated_file


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext("写出一个活动的工作进展汇总表（汇总页 + 每单位一页）")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help=gettext("活动编号"))
        parser.add_argument("out", help=gettext("输出的 .xlsx 文件"))

    def handle(self, *args, campaign: int, out: str, **options):
        target = Campaign.objects.filter(pk=campaign).first()
        if target is None:
            raise CommandError(gettext("没有编号为 %(pk)s 的活动") % {"pk": campaign})
        path = Path(out)
        with path.open("wb") as handle:
            write_consolidated_file(target, handle)
        record(None, "progress.export_consolidated", target, message=f"命令行导出 {path.name}")
        self.stdout.write(f"已写出 {path}")
