"""Creating and changing accounts. Each function is one transaction with an audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigndesk.audit.services import diff, record
from campaigndesk.core.concurrency import check_version

from .models import Role, Unit, User
from .permissions import PRIVILEGED_ROLES, manages_account, may_give_role, resets_credentials

PRIVILEGED_ONLY = _("审计员、安全管理员角色只能由安全管理员授予或撤销")


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit.name if user.unit_id else None,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
    }


UNIT_BOUND = {Role.REPORTER, Role.BUREAU_REVIEWER}


def _check_role(role: str, unit: Unit | None) -> None:
    if role == Role.REPORTER and unit is None:
        raise ValidationError({"unit": _("单位填报员必须指定所属单位")})
    if role == Role.BUREAU_REVIEWER and (unit is None or not unit.is_reporting):
        raise ValidationError({"unit": _("盟市审核员必须绑定一个直接向自治区报送的盟市民政局")})
    if role not in UNIT_BOUND and unit is not None:
        raise ValidationError({"unit": _("只有单位填报员和盟市审核员绑定单位")})


@transaction.atomic
def create_account(
    by,
    *,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    _check_role(role, unit)
    if role in PRIVILEGED_ROLES:
        raise ValidationError({"role": PRIVILEGED_ONLY})
    user = User(username=username, role=role, unit=unit, full_name=full_name, phone=phone,
                email=email)
    validate_password(password, user)
    user.set_password(password)
    # The administrator knows this password: the holder must replace it at first log-in.
    user.must_change_password = True
    user.full_clean()
    user.save()
    record(by, "account.create", user, changes=diff({}, _snapshot(user)))
    return user


@transaction.atomic
def update_account(by, user: User, *, expected_version: int | None = None, **fields) -> User:
    """The system administrator's change of an ordinary account (privileged roles:
    `set_privileged_role`)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    check_version(user, expected_version)
    if by is not None and not manages_account(by, user):
        raise PermissionDenied
    before = _snapshot(user)
    for name, value in fields.items():
        if name not in {"full_name", "role", "unit", "phone", "email", "is_active"}:
            raise ValueError(f"account field {name} cannot be changed here")
        setattr(user, name, value)
    _check_role(user.role, user.unit)
    if user.is_superuser and user.role not in ("", Role.REGION_ADMIN):
        raise ValidationError({"role": _("超级用户即系统管理员，不能兼任审计员、安全管理员等角色")})
    if by is not None and not may_give_role(by, User(role=before["role"]), user.role):
        raise ValidationError({"role": PRIVILEGED_ONLY})
    user.full_clean()
    changes = diff(before, _snapshot(user))
    if changes:
        user.version += 1
    if before["is_active"] and not user.is_active:
        user.session_epoch += 1  # its sessions end for good, reactivated or not
    user.save()
    if changes:
        record(by, "account.update", user, changes=changes)
    return user


@transaction.atomic
def reset_password(by, user: User, new_password: str, *, operator: str = "") -> None:
    """An administrator sets the password (the holder must change it at next log-in).
    `by` None is the operator at the command line, named by `operator`."""
    if by is not None and not resets_credentials(by, user):
        raise PermissionDenied
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record(by, "account.reset_password", user, username=operator,
           changes={"password": ["******", "******"]},
           message="命令行重置密码" if by is None else "管理员重置密码")


def set_privileged_role(by, user: User, role: str, *, operator: str = "") -> User:
    """Give the auditor or security administrator role, or take it (role ''): the security
    administrator on the web, or the operator at the command line (`by` None, named by
    `operator`). Taking it leaves the account without a role until the system
    administrator gives it an ordinary one.

    On the web the security administrator gives these roles only to accounts without
    another role (a region administrator made auditor would audit itself) and never
    changes its own role; nobody takes the last security administrator's. A refusal is
    audited, after the refused change is rolled back."""
    try:
        return _set_privileged_role(by, user, role, operator=operator)
    except Refused as exc:
        record(by, "access.denied", user, changes={"role": [user.role, role]},
               message=f"拒绝更改特权角色：{exc.message}")
        raise ValidationError({"role": exc.message}) from None


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refusal(by, user: User, role: str) -> str:
    """Why this change may not be made, or ''. The operator at the command line (`by`
    None) may give the roles to any account and change any, but not the last security
    administrator's either: nobody would be left to manage locks and privileged roles."""
    if by is not None and by.pk == user.pk:
        return _("不能更改本人的角色，请由另一名安全管理员或系统运维人员（命令行）办理")
    if user.role == Role.SECURITY_ADMIN and role != Role.SECURITY_ADMIN and not (
            User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True)
            .exclude(pk=user.pk).exists()):
        return _("%(username)s 是唯一的安全管理员，不能撤销；请先授予另一账号安全管理员角色") % {
            "username": user.username}
    if by is None:
        return ""
    if user.role not in PRIVILEGED_ROLES and user.role != "":
        return _("%(username)s 现为“%(role)s”：审计员、安全管理员只能授予无角色的账号，"
                 "请系统管理员先将其改为“无角色”") % {
            "username": user.username, "role": user.get_role_display()}
    return ""


@transaction.atomic
def _set_privileged_role(by, user: User, role: str, *, operator: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if by is not None and not may_give_role(by, user, role):
        raise PermissionDenied
    if role not in PRIVILEGED_ROLES and role != "":
        raise ValidationError({"role": _("此处只能授予审计员、安全管理员角色，或撤销为无角色")})
    if role == "" and user.role not in PRIVILEGED_ROLES:
        raise ValidationError({"role": _("该账号不是审计员或安全管理员，无需撤销")})
    if user.is_superuser and role:
        raise ValidationError({"role": _("超级用户即系统管理员，不能兼任审计员、安全管理员等角色")})
    refusal = _refusal(by, user, role)
    if refusal:
        raise Refused(refusal)
    before = _snapshot(user)
    user.role = role
    user.unit = None  # only reporters belong to a unit
    changes = diff(before, _snapshot(user))
    if not changes:
        return user
    user.version += 1
    user.save(update_fields=["role", "unit", "version"])
    record(by, "account.privileged_role", user, username=operator, changes=changes,
           message=("授予" if role else "撤销") + "审计员/安全管理员角色")
    return user
