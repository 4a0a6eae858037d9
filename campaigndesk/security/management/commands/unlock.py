from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from campaigndesk.core.addresses import address_group
from campaigndesk.security import lockout, throttle
from campaigndesk.security.models import AccountLock, AddressBlock
from campaigndesk.security.operator import command_line_operator


class Command(BaseCommand):
    """For the system operator: lift account locks and address blocks when no administrator
    can log in (they may be locked themselves). Every lift is audited with the operating
    system account that ran the command."""

    @property
    def help(self) -> str:
        return gettext("解除账号锁定（campaigndesk unlock 用户名 …）或来源地址拦截"
                       "（--address 地址）；--all 解除全部")

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help=gettext("被锁定的用户名"))
        parser.add_argument("--address", action="append", default=[],
                            help=gettext("被拦截的来源地址（可多次给出）"))
        parser.add_argument("--all", action="store_true",
                            help=gettext("解除全部锁定中的账号和被拦截的地址"))

    def handle(self, *args, usernames, address, all, **options):
        if not (usernames or address or all):
            raise CommandError(gettext("请给出用户名、--address 地址，或 --all"))
        operator = command_line_operator()
        now = timezone.now()
        locks = AccountLock.objects.active(now)
        blocks = AddressBlock.objects.active(now)
        if not all:
            names = Q(pk__in=[])
            for name in usernames:
                names |= Q(username__iexact=name.strip())
            locks = locks.filter(names)
            blocks = blocks.filter(source__in=[address_group(a.strip()) for a in address])
        lifted = 0
        for lock in locks:
            lockout.unlock(None, lock, operator=operator)
            self.stdout.write(gettext("已解锁账号 %(name)s") % {"name": lock.username})
            lifted += 1
        for block in blocks:
            throttle.unlock(None, block, operator=operator)
            self.stdout.write(gettext("已解除来源地址 %(source)s 的拦截") % {
                "source": block.source})
            lifted += 1
        if not lifted:
            self.stdout.write(gettext("没有需要解除的锁定"))
