"""API tokens, and the principal an API call acts as.

A token is stored as the SHA-256 of its secret only: the secret is shown once, when the
token is made. A secret of 32 random bytes (secrets.token_urlsafe) cannot be guessed, so a
plain hash is enough here (no slow password hasher: every request checks it).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigndesk.units.models import Unit, User


class Scope(models.TextChoices):
    READ = "read", _("读取数据")
    WRITE_PROGRESS = "write-progress", _("填报工作进展")
    WRITE_ARTICLES = "write-articles", _("上传宣传稿件")


class ApiToken(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    # None: region-wide (only region administrators make those); else the unit and the
    # units that report to it, as for that unit's reporter.
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="api_tokens")
    scopes = models.JSONField(_("权限范围"), default=list)
    # The first characters of the secret, to tell tokens apart in the list and the log.
    prefix = models.CharField(_("令牌开头"), max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                                   on_delete=models.PROTECT, related_name="api_tokens")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("吊销人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已吊销"))
        if self.expires_at <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))

    def scope_labels(self) -> str:
        labels = dict(Scope.choices)
        return "、".join(str(labels.get(s, s)) for s in self.scopes)


class TokenPrincipal(User):
    """Whom an API call acts as, for the permission layer (units.permissions.allows):

    - a unit's token: a reporter of that unit, exactly as the unit's own account;
    - a region-wide token: its creator, with the creator's current role.

    It carries the creator's pk so that the rows a service writes (submitted_by,
    created_by) and the audit entries point to the person who issued the token; the token's
    name is added to every audit entry (audit.context.Origin.via_token). Never saved: it is
    built per request and must not overwrite the creator's account.
    """

    class Meta:
        proxy = True
        verbose_name = _("API令牌身份")
        verbose_name_plural = _("API令牌身份")

    def save(self, *args, **kwargs):
        raise RuntimeError("TokenPrincipal is never saved")

    def delete(self, *args, **kwargs):
        raise RuntimeError("TokenPrincipal is never deleted")
