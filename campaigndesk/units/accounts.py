"""Creating and changing accounts. Each function is one transaction with an audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from campaigndesk.audit.services import diff, record

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
        raise ValidationError({"unit": "单位填报员必须指定所属单位"})
    if role != Role.REPORTER and unit is not None:
        raise ValidationError({"unit": "只有单位填报员绑定单位"})


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
    user.full_clean()
    user.save()
    record(by, "account.create", user, changes=diff({}, _snapshot(user)))
    return user


@transaction.atomic
def update_account(by, user: User, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    for name, value in fields.items():
        if name not in {"full_name", "role", "unit", "phone", "email", "is_active"}:
            raise ValueError(f"account field {name} cannot be changed here")
        setattr(user, name, value)
    _check_role(user.role, user.unit)
    user.full_clean()
    user.save()
    changes = diff(before, _snapshot(user))
    if changes:
        record(by, "account.update", user, changes=changes)
    return user


@transaction.atomic
def reset_password(by, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(by, "account.reset_password", user, changes={"password": ["******", "******"]},
           message="管理员重置密码")
