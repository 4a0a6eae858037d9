from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from campaigndesk.audit.services import record
from campaigndesk.security import backups


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext("在线备份数据库（SQLite 备份接口或 pg_dump）和上传文件到 DEST 下的新文件夹")

    def add_arguments(self, parser):
        parser.add_argument("dest", help=gettext("备份存放的文件夹"))

    def handle(self, *args, dest, **options):
        try:
            folder = backups.backup(Path(dest))
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        record(None, "backup.create", username="system", message=f"备份到 {folder}")
        self.stdout.write(str(folder))
