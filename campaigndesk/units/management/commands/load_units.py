from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigndesk.units.services import FIXTURE, load_divisions


class Command(BaseCommand):
    help = "载入或更新区划单位表（默认为内蒙古自治区的区划 CSV）"

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", default=str(FIXTURE), help="区划 CSV 文件")

    def handle(self, *args, csv: str, **options):
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            created, updated = load_divisions(path=path)
        except (ValidationError, KeyError, ValueError) as exc:
            raise CommandError(f"区划文件有误：{exc}") from None
        self.stdout.write(f"新增 {created} 个单位，更新 {updated} 个单位")
