from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chain, labels


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("审计日志只能逐条追加（每条都要接上校验链）")


class AuditEntry(models.Model):
    """One change made through the product. Rows are only ever inserted.

    The actor's user name is copied so that the entry still reads right if the account is
    renamed; the database refuses UPDATE and DELETE with triggers (migration 0003), and
    each entry is chained to the one before it by hashes (chain.py, migration 0004).
    """

    # Set in save(), under the append lock, so that the chain's times never go back.
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    prev_hash = models.CharField(_("前一条的校验值"), max_length=64, editable=False)
    hash = models.CharField(_("校验值"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, using=None, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        using = using or router.db_for_write(AuditEntry, instance=self)
        with transaction.atomic(using=using):
            chain.lock_for_append(connections[using])
            self.prev_hash = (AuditEntry.objects.using(using).order_by("-id")
                              .values_list("hash", flat=True).first() or chain.GENESIS)
            self.at = timezone.now()
            self.changes = chain.plain_changes(self.changes)
            self.hash = chain.digest({name: getattr(self, name) for name in chain.FIELDS},
                                     self.prev_hash)
            super().save(*args, using=using, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def object_type_label(self) -> str:
        return labels.object_type_label(self.object_type)

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field, before, after) as short text; changes stored as {field: [old, new]}."""
        rows = []
        for field, values in self.changes.items():
            name = labels.field_label(self.object_type, field)
            if isinstance(values, list) and len(values) == 2:
                rows.append((name, labels.shown(values[0]), labels.shown(values[1])))
            else:
                rows.append((name, "", labels.shown(values)))
        return rows
