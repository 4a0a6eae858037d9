import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from campaigndesk.security import otp
from campaigndesk.security.operator import command_line_operator
from campaigndesk.units import accounts
from campaigndesk.units.models import User

ROLES = {"auditor": "auditor", "security_admin": "security_admin", "none": ""}


class Command(BaseCommand):
    """The operator's way (a superuser at the command line) to give or take the auditor and
    security administrator roles and to reset those accounts' passwords and second factors,
    e.g. the first security administrator of a fresh installation. Audited with the
    operating-system account that ran it."""

    @property
    def help(self) -> str:
        return gettext("授予或撤销审计员/安全管理员角色（--role auditor|security_admin|none），"
                       "重置密码（--reset-password，从终端或标准输入读取）或动态验证码")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES))
        parser.add_argument("--reset-password", action="store_true")
        parser.add_argument("--reset-second-factor", action="store_true")

    def handle(self, *args, username, role, reset_password, reset_second_factor, **options):
        if role is None and not (reset_password or reset_second_factor):
            raise CommandError(gettext("请给出 --role、--reset-password 或 --reset-second-factor"))
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(gettext("没有用户名为 %(name)s 的账号") % {"name": username})
        operator = command_line_operator()
        try:
            if role is not None:
                user = accounts.set_privileged_role(None, user, ROLES[role], operator=operator)
                self.stdout.write(gettext("%(name)s 的角色：%(role)s") % {
                    "name": user.username, "role": user.get_role_display() or gettext("无角色")})
            if reset_password:
                accounts.reset_password(None, user, self._password(), operator=operator)
                self.stdout.write(gettext("已重置 %(name)s 的密码，下次登录须修改") % {
                    "name": user.username})
            if reset_second_factor:
                otp.reset(None, user, operator=operator)
                self.stdout.write(gettext("已重置 %(name)s 的动态验证码") % {"name": user.username})
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    @staticmethod
    def _password() -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass(gettext("新密码："))
        if first != getpass.getpass(gettext("再次输入新密码：")):
            raise CommandError(gettext("两次输入的密码不一致"))
        return first
