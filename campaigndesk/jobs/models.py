from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One piece of long work somebody asked for. The task queue only carries the job's id;
    this row is the truth about it (state, progress, file), so a lost queue message or a
    killed worker never loses the job (services.sweep puts it back)."""

    kind = models.CharField(max_length=60)
    # None: started by the worker on its own schedule (the periodic mail fetch); such a job
    # is nobody's to open, its outcome is in the audit log and on the page it serves.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0–100
    step = models.CharField(max_length=200, blank=True)  # what it is doing, in Chinese
    error = models.TextField(blank=True)
    # The result: a file under DATA_DIR/jobs/, offered under `filename` until `expires_at`.
    result_path = models.CharField(max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    summary = models.CharField(max_length=255, blank=True)  # result of a job without a file
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the running worker every few seconds: a running job whose heartbeat stopped
    # belongs to a worker that died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["state", "heartbeat_at"]),
                   models.Index(fields=["requested_by", "kind", "created_at"])]

    def __str__(self) -> str:
        from .registry import label

        return f"{label(self.kind)}（任务{self.pk}）"

    @property
    def finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}
