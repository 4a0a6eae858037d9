"""`campaigndesk check_article FILE [--json]`: a thin wrapper over campaigndesk.proofing.cli."""

import sys

from django.core.management.base import BaseCommand

from campaigndesk.proofing.cli import main


class Command(BaseCommand):
    help = "校对一篇宣传稿件（.txt 或 .docx）；退出码 0 无错误，1 有错误，2 无法读取文件。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--unit")
        parser.add_argument("--today")

    def handle(self, *args, **options):
        argv = [options["file"]] + (["--json"] if options["json"] else [])
        for opt in ("unit", "today"):
            if options[opt]:
                argv += [f"--{opt}", options[opt]]
        status = main(argv)
        # The proofing CLI already printed its report or its one-line error.
        if status:
            sys.exit(status)
