"""Creating and changing accounts. Each function is one transaction with an audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigndesk.audit.services import diff, record
from campaigndesk.security.concurrency import check_version

from .models import Role, Unit, User


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
    user = User.objects.select_for_update().get(pk=user.pk)
    check_version(user, expected_version)
    before = _snapshot(user)
    for name, value in fields.items():
        if name not in {"full_name", "role", "unit", "phone", "email", "is_active"}:
            raise ValueError(f"account field {name} cannot be changed here")
        setattr(user, name, value)
    _check_role(user.role, user.unit)
    if user.is_superuser and user.role not in ("", Role.REGION_ADMIN):
        raise ValidationError({"role": _("超级用户即系统管理员，不能兼任审计员、安全管理员等角色")})
    user.full_clean()
    changes = diff(before, _snapshot(user))
    if changes:
        user.version += 1
    user.save()
    if changes:
        record(by, "account.update", user, changes=changes)
    return user


@transaction.atomic
def reset_password(by, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record(by, "account.reset_password", user, changes={"password": ["******", "******"]},
           message="管理员重置密码")
