"""Check the audit log's hash chain; exit status 1 and the first broken entry if it breaks.

With --manifest, also check that the log still holds the newest entry a backup recorded,
unchanged: a chain rewritten from some point on (hashes recomputed by whoever changed the
database) is valid in itself, but no longer matches the copy kept off the host.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext

from campaigndesk.audit import chain
from campaigndesk.audit.models import AuditEntry


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext("校验审计日志的校验链，报告第一条被改动、删除或插入的记录")

    def add_arguments(self, parser):
        parser.add_argument("--manifest", help=gettext(
            "backup 生成的 manifest.json：另外核对备份时最新的一条记录仍在且未被改动"))

    def handle(self, *args, manifest=None, **options):
        state = chain.verify(AuditEntry.objects)
        if not state.intact:
            at = timezone.localtime(state.broken_at)
            raise CommandError(gettext(
                "审计日志第 %(id)s 条（%(at)s）起被改动：%(reason)s；此前 %(count)s 条完整") % {
                "id": state.broken_id, "at": f"{at:%Y-%m-%d %H:%M:%S}",
                "reason": state.reason, "count": state.count})
        if manifest:
            self._check_backup_head(Path(manifest))
        self.stdout.write(
            gettext("审计日志完整：共 %(count)s 条，最新一条为第 %(id)s 条，校验值 %(hash)s")
            % {"count": state.count, "id": state.head_id or "-",
               "hash": state.head_hash[:16] or "-"})

    @staticmethod
    def _check_backup_head(path: Path) -> None:
        try:
            backup = json.loads(path.read_text(encoding="utf-8"))
            backup["audit_head"]  # noqa: B018 - a manifest always names it (or null)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(gettext("无法读取备份清单 %(path)s：%(error)s")
                               % {"path": path, "error": exc}) from exc
        problem = chain.manifest_problem(AuditEntry.objects, backup)
        if problem:
            raise CommandError(gettext("审计日志与备份 %(path)s 不符：%(problem)s")
                               % {"path": path, "problem": problem})
