"""Making, revoking and checking API tokens. Each change is one transaction with its audit
entry; the secret is returned once by `create_token` and never stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record
from campaigndesk.units.models import Role, Unit
from campaigndesk.units.permissions import Action, allows

from .models import ApiToken, Scope, TokenPrincipal

SECRET_PREFIX = "cdk_"  # noqa: S105 - the public marker of our tokens, not a secret
MAX_DAYS = 366
# last_used_at is written at most this often per token, so that reading the API does not
# turn every GET into a write (a locked database must not refuse reads).
LAST_USED_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_errors(by, *, name: str, unit: Unit | None, scopes: list[str],
                 days: int | None) -> dict[str, list[str]]:
    """What is wrong with a token request, by field; empty when it may be made."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写令牌名称，如“盟市统计系统”")]
    elif len(name.strip()) > 100:
        errors["name"] = [_("令牌名称不能超过100个字")]
    known = {value for value, _label in Scope.choices}
    if not scopes:
        errors["scopes"] = [_("请至少选择一项权限范围")]
    elif not set(scopes) <= known:
        errors["scopes"] = [_("权限范围只能是：读取数据、填报工作进展、上传宣传稿件")]
    if days is None or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("有效期应为 1～%(max)s 天") % {"max": MAX_DAYS}]
    if unit is not None and not unit.is_active:
        errors["unit"] = [_("单位“%(unit)s”已停用，不能为其创建令牌") % {"unit": unit}]
    return errors


@transaction.atomic
def create_token(by, *, name: str, unit: Unit | None, scopes: list[str], days: int,
                 now: datetime | None = None) -> NewToken:
    if not allows(by, Action.MANAGE_API_TOKENS):
        raise PermissionDenied
    errors = token_errors(by, name=name, unit=unit, scopes=scopes, days=days)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    ordered = [value for value, _label in Scope.choices if value in scopes]
    token = ApiToken.objects.create(
        name=name.strip(), unit=unit, scopes=ordered, prefix=secret[:10],
        secret_hash=hash_secret(secret), created_by=by, expires_at=now + timedelta(days=days))
    record(by, "api.token_create", token, changes={
        "name": token.name, "unit": str(unit) if unit else "全区", "scopes": ordered,
        "expires_at": token.expires_at.isoformat()})
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(by, token: ApiToken, *, now: datetime | None = None) -> ApiToken:
    if not allows(by, Action.MANAGE_API_TOKENS):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已被吊销"))
    token.revoked_at = now or timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(by, "api.token_revoke", token, changes={"name": token.name})
    return token


def find_token(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked or expired)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("unit", "created_by__unit")
             .filter(secret_hash=hash_secret(secret)).first())
    if token is None or not token.is_usable(now):
        return None
    return token


def mark_used(token: ApiToken, now: datetime | None = None) -> None:
    """Remember the use, at most once a minute; a busy database only loses the mark."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    try:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except DatabaseError:
        return
    token.last_used_at = now


def principal_for(token: ApiToken) -> TokenPrincipal:
    """The account the permission layer sees for this token (see TokenPrincipal)."""
    creator = token.created_by
    if token.unit_id is not None:
        return TokenPrincipal(pk=creator.pk, username=creator.username,
                              full_name=creator.full_name, role=Role.REPORTER, unit=token.unit,
                              is_active=True, is_superuser=False)
    return TokenPrincipal(pk=creator.pk, username=creator.username, full_name=creator.full_name,
                          role=creator.role, unit=creator.unit, is_active=creator.is_active,
                          is_superuser=creator.is_superuser)
