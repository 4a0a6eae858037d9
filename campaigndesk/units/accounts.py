"""Creating and changing accounts. Each function is one transaction with an audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigndesk.audit.services import diff, record
from campaigndesk.security.concurrency import check_version

from .models import Role, Unit, User
from .permissions import PRIVILEGED_ROLES, manages_account, may_give_role

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


def _check_role(role: str, unit: Unit | None) -> None:
    if role == Role.REPORTER and unit is None:
        raise ValidationError({"unit": _("单位填报员必须指定所属单位")})
    if role != Role.REPORTER and unit is not None:
        raise ValidationError({"unit": _("只有单位填报员绑定单位")})


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
    user.save()
    if changes:
        record(by, "account.update", user, changes=changes)
    return user


@transaction.atomic
def reset_password(by, user: User, new_password: str, *, operator: str = "") -> None:
    """An administrator sets the password (the holder must change it at next log-in).
    `by` None is the operator at the command line, named by `operator`."""
    if by is not None and not manages_account(by, user):
        raise PermissionDenied
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record(by, "account.reset_password", user, username=operator,
           changes={"password": ["******", "******"]},
           message="命令行重置密码" if by is None else "管理员重置密码")


@transaction.atomic
def set_privileged_role(by, user: User, role: str, *, operator: str = "") -> User:
    """Give the auditor or security administrator role, or take it (role ''): the security
    administrator on the web, or the operator at the command line (`by` None, named by
    `operator`). Taking it leaves the account without a role until the system
    administrator gives it an ordinary one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if by is not None and not may_give_role(by, user, role):
        raise PermissionDenied
    if role not in PRIVILEGED_ROLES and role != "":
        raise ValidationError({"role": _("此处只能授予审计员、安全管理员角色，或撤销为无角色")})
    if role == "" and user.role not in PRIVILEGED_ROLES:
        raise ValidationError({"role": _("该账号不是审计员或安全管理员，无需撤销")})
    if user.is_superuser and role:
        raise ValidationError({"role": _("超级用户即系统管理员，不能兼任审计员、安全管理员等角色")})
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
