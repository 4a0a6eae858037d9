from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress import totals


class Differs(Exception):
    pass


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return gettext("从已报送的活动重算各单位各轮次的合计（看板读的就是这张表）")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help=gettext("只重算这个活动（编号）"))
        parser.add_argument("--check", action="store_true",
                            help=gettext("只比较，不改动：合计与重算结果不同时退出码为 1"))

    def handle(self, *args, campaign: int | None, check: bool, **options):
        target = None
        if campaign is not None:
            target = Campaign.objects.filter(pk=campaign).first()
            if target is None:
                raise CommandError(gettext("没有编号为 %(pk)s 的活动") % {"pk": campaign})
        scope = target.title if target else gettext("全部活动")
        try:
            with transaction.atomic():
                before = totals.table_rows(campaign)
                written = totals.rebuild(campaign)
                after = totals.table_rows(campaign)
                if check:
                    raise Differs  # never keep what --check computed
                record(None, "progress.rebuild_totals", target, changes={
                    "rows": written, "changed": before != after},
                    message=f"命令行重算合计（{scope}）")
        except Differs:
            pass
        same = before == after
        if check:
            if not same:
                changed = len(set(before) ^ set(after))
                raise CommandError(gettext("%(scope)s：合计与重算结果不一致（%(n)s 行不同）")
                                   % {"scope": scope, "n": changed})
            self.stdout.write(gettext("%(scope)s：合计与重算结果一致（%(n)s 行）")
                              % {"scope": scope, "n": len(after)})
            return
        self.stdout.write(gettext("%(scope)s：已重算 %(n)s 行合计%(note)s") % {
            "scope": scope, "n": written,
            "note": "" if same else gettext("，与重算前不同的已改正")})
