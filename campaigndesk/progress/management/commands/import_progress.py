import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext

from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import CampaignClosed
from campaigndesk.progress import excel_in, services
from campaigndesk.progress.table import dates_text, fen_to_text, service_labels
from campaigndesk.progress.uploads import read_context
from campaigndesk.units.models import Unit


def row_json(row) -> dict:
    return {
        "row": row.row,
        "name": row.name,
        "organizations": row.organizations,
        "participants": row.participants,
        "start": row.start.isoformat() if row.start else None,
        "end": (row.end or row.start).isoformat() if row.start else None,
        "location": row.location,
        "content": row.content,
        "service_areas": service_labels(row),
        "beneficiaries": row.beneficiaries,
        "funds": fen_to_text(row.funds_fen),
        "materials": fen_to_text(row.materials_fen),
        "remarks": row.remarks,
    }


def problem_json(problem) -> dict:
    return {"row": problem.row, "column": problem.column, "message": problem.message}


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A plain str at call time: argparse cannot format a lazy translation object.
        return gettext(
            "导入一个单位的工作进展情况统计表（.xlsx/.xls/.ods/.csv），与网页导入使用同一读取程序")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help=gettext("单位名称、简称或代码"))
        parser.add_argument("--campaign", type=int,
                            help=gettext("活动编号（该单位只参加一个进行中的活动时可省略）"))
        parser.add_argument("--dry-run", action="store_true", help=gettext("只检查，不保存"))
        parser.add_argument("--json", action="store_true", help=gettext("以 JSON 输出结果"))

    def handle(self, *args, file: str, unit: str, campaign: int | None, dry_run: bool,
               json: bool, **options):
        target = self.find_unit(unit)
        campaign_obj = self.find_campaign(target, campaign)
        path = Path(file)
        try:
            data = path.read_bytes()
            result = excel_in.read_progress(data, filename=path.name,
                                            context=read_context(campaign_obj))
        except (OSError, excel_in.UnreadableFile) as exc:
            message = exc.strerror if isinstance(exc, OSError) else str(exc)
            sys.stderr.write(f"无法读取 {path}：{message}\n")
            sys.exit(2)
        saved = None
        if not result.errors and not dry_run:
            try:
                saved = services.import_rows(None, campaign_obj, target, result.rows,
                                             reporter_name=result.reporter_name,
                                             reporter_phone=result.reporter_phone,
                                             filename=path.name)
            except CampaignClosed as exc:
                raise CommandError(str(exc)) from None
        totals = result.totals
        payload = {
            "reporter": {"name": result.reporter_name, "phone": result.reporter_phone},
            "rows": [row_json(r) for r in result.rows],
            "errors": [problem_json(p) for p in result.errors],
            "warnings": [problem_json(p) for p in result.warnings],
            "totals": {
                "activities": totals.activities,
                "participants": totals.participants,
                "beneficiaries": totals.beneficiaries,
                "funds": fen_to_text(totals.funds_fen),
                "materials": fen_to_text(totals.materials_fen),
            },
        }
        if json:
            self.stdout.write(_dumps(payload))
        else:
            self.print_readable(payload, result, saved, dry_run)
        if result.errors:
            sys.exit(1)

    def print_readable(self, payload, result, saved, dry_run) -> None:
        for row in result.rows:
            self.stdout.write(f"第{row.row}行 {row.name} {dates_text(row.start, row.end)}")
        for kind, items in (("错误", payload["errors"]), ("提示", payload["warnings"])):
            for p in items:
                # A problem of the whole file (no header found) has no row or column.
                where = " ".join(part for part in (
                    f"第{p['row']}行" if p["row"] is not None else "", p["column"] or "") if part)
                self.stdout.write(f"{kind}：{where} {p['message']}" if where
                                  else f"{kind}：{p['message']}")
        t = payload["totals"]
        self.stdout.write(f"合计：{t['activities']} 项活动，参与 {t['participants']} 人次，"
                          f"受益 {t['beneficiaries']} 人次，资金 {t['funds']} 元，"
                          f"物资 {t['materials']} 元")
        if saved is not None:
            self.stdout.write(f"已保存：新增 {saved.created}，更新 {saved.updated}，"
                              f"相同 {saved.unchanged}，未更新 {len(saved.skipped)}")
        elif dry_run:
            self.stdout.write("（试运行，未保存）")

    def find_unit(self, text: str) -> Unit:
        text = text.strip()
        exact = Unit.objects.filter(Q(code=text) | Q(name=text)).first()
        if exact is not None:
            return exact
        matches = [u for u in Unit.objects.all()
                   if text in u.short_names or (len(text) >= 2 and u.name.startswith(text))]
        if len(matches) != 1:
            raise CommandError(
                gettext("找不到唯一的单位“%(text)s”，请使用单位代码或全称") % {"text": text})
        return matches[0]

    def find_campaign(self, unit: Unit, pk: int | None) -> Campaign:
        """Campaign `pk`; without it, the unit's only open campaign. Never a guess between
        several: a table imported into the wrong year is worse than a question."""
        if pk:
            campaign = Campaign.objects.of_unit(unit, pk)
            if campaign is None:
                raise CommandError(gettext("%(unit)s没有参加的活动（编号 %(pk)s）")
                                   % {"unit": unit.name, "pk": pk})
            return campaign
        candidates = list(Campaign.objects.open().filter(participants=unit))
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise CommandError(gettext("%(unit)s没有进行中的活动") % {"unit": unit.name})
        raise CommandError(
            gettext("%(unit)s参加了多个进行中的活动，请用 --campaign 指定：%(list)s") % {
                "unit": unit.name,
                "list": "；".join(f"{c.pk} {c.title}" for c in candidates)})



def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
