from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from campaigndesk.security import backups


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext("从 backup 生成的文件夹恢复数据库和上传文件（会覆盖当前数据）")

    def add_arguments(self, parser):
        parser.add_argument("src", help=gettext("backup 生成的文件夹"))
        parser.add_argument("--no-input", action="store_true", help=gettext("不再询问确认"))

    def handle(self, *args, src, no_input=False, **options):
        if not no_input:
            answer = input(f"将用 {src} 覆盖当前数据库和上传文件，输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError(gettext("已取消"))
        try:
            manifest = backups.restore(Path(src))
        except (backups.BackupError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"已恢复 {manifest['created']} 的备份（{rows} 行）")
