from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigndesk.audit.services import record
from campaigndesk.security import backups


class Command(BaseCommand):
    help = "在线备份数据库（SQLite 备份接口或 pg_dump）和上传文件到 DEST 下的新文件夹"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份存放的文件夹")

    def handle(self, *args, dest, **options):
        try:
            folder = backups.backup(Path(dest))
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        record(None, "backup.create", username="system", message=f"备份到 {folder}")
        self.stdout.write(str(folder))
