"""Starting, running, recovering and expiring jobs. Every transition is a named function
with its audit entry; the worker calls `run_job`, the worker's supervisor calls `sweep`."""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigndesk.audit.services import record

from . import files, queue, registry
from .models import Job, JobState

log = logging.getLogger(__name__)

UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


SCHEDULED = "后台定时任务"  # the audit log's name for a job the worker started by itself


def keep_hours() -> int:
    return settings.JOBS_KEEP_HOURS


def _asker(job: Job) -> str:
    return job.requested_by.get_username() if job.requested_by_id else SCHEDULED


def start_job(user, kind: str, *, campaign=None, unit=None, params: dict | None = None) -> Job:
    """A new job, queued once the transaction commits. The same person asking again for the
    same thing while it is still queued or running gets the job already under way, not a
    second 500,000-row export."""
    registry.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    params = params or {}
    with transaction.atomic():
        running = Job.objects.filter(requested_by=user, kind=kind, campaign=campaign, unit=unit,
                                     params=params, state__in=UNFINISHED).first()
        if running is not None:
            return running
        job = Job.objects.create(kind=kind, requested_by=user, campaign=campaign, unit=unit,
                                 params=params, step="排队等候后台处理")
        record(user, "jobs.start", job, username="" if user else SCHEDULED,
               message=f"开始后台任务：{registry.label(kind)}")
        transaction.on_commit(lambda: queue.enqueue(job.pk))
    return job


class _Progress:
    """The job's step callback. It only notes the latest step in memory: the job's own
    connection may be in the middle of reading 500,000 rows, and on SQLite a write from a
    connection holding a read snapshot can fail or wait behind another writer. The beat
    thread (its own connection) writes it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latest: tuple[int, str] | None = None

    def __call__(self, percent: float, text: str) -> None:
        percent = max(0, min(99, int(percent)))  # 100 only when the file is complete
        with self.lock:
            self.latest = (percent, text[:200])

    def take(self) -> tuple[int, str] | None:
        with self.lock:
            latest, self.latest = self.latest, None
        return latest

    def keep(self, taken: tuple[int, str] | None) -> None:
        """A step taken but not written goes back, unless a newer one came meanwhile."""
        with self.lock:
            if self.latest is None:
                self.latest = taken


class _Heartbeat(threading.Thread):
    """Writes the job's progress every second when it moved, and beats at least every
    JOBS_HEARTBEAT_SECONDS while a step runs long without reporting (a big query, a zip being
    closed), so the sweep never takes a live job for one whose worker died."""

    def __init__(self, job_id: int, progress: _Progress):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.progress = progress
        self.done = threading.Event()

    def run(self) -> None:
        last_beat = 0.0
        try:
            while not self.done.wait(min(1.0, settings.JOBS_HEARTBEAT_SECONDS)):
                latest = self.progress.take()
                now = time.monotonic()
                if latest is None and now - last_beat < settings.JOBS_HEARTBEAT_SECONDS:
                    continue
                fields = {"heartbeat_at": timezone.now()}
                if latest is not None:
                    fields.update(progress=latest[0], step=latest[1])
                try:
                    Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(**fields)
                except DatabaseError:
                    # A busy database (a lock held past the busy timeout) must not end the
                    # beats: without them the sweep would take the live job for a dead one.
                    log.warning("job %s: heartbeat not written, retrying", self.job_id,
                                exc_info=True)
                    self.progress.keep(latest)
                    continue
                last_beat = now
        finally:
            connection.close()


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, progress=0,
        step="开始处理", attempts=F("attempts") + 1)
    return Job.objects.get(pk=job_id) if taken else None


def run_job(job_id: int) -> None:
    """The worker's task. A message for a job that is no longer queued (done, failed, or
    taken by another worker after a redelivery) is dropped: at most one run at a time."""
    job = _claim(job_id)
    if job is None:
        return
    kind = registry.get(job.kind)
    relative = files.relative_for(job.pk, job.attempts)
    path = files.folder() / path_name(relative)
    progress = _Progress()
    heartbeat = _Heartbeat(job.pk, progress)
    heartbeat.start()
    try:
        with open(path, "wb") as out:
            result = kind.run(job, out, progress)
    except Exception as exc:  # every failure is shown and audited, none kills the worker
        log.exception("job %s (%s) failed", job.pk, job.kind)
        path.unlink(missing_ok=True)
        fail_job(job, _reason(exc))
        return
    finally:
        heartbeat.done.set()
        heartbeat.join()
    if result.filename is None:
        path.unlink(missing_ok=True)
        relative = ""
    finish_job(job, relative, result)


def path_name(relative: str) -> str:
    return relative.rsplit("/", 1)[-1]


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


def finish_job(job: Job, relative: str, result: registry.Result) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING,
                                     attempts=job.attempts).update(
            state=JobState.DONE, progress=100, step="已完成", result_path=relative,
            filename=(result.filename or "")[:255], summary=result.summary[:255],
            finished_at=now, heartbeat_at=now,
            expires_at=now + timedelta(hours=keep_hours()) if relative else None)
        if not updated:  # the sweep gave the job to another run meanwhile: that one counts
            if relative:
                files.path_for(relative).unlink(missing_ok=True)
            return
        job.refresh_from_db()
        record(job.requested_by, "jobs.done", job, username=_asker(job),
               message=f"后台任务完成：{registry.label(job.kind)}"
               + (f"（{result.summary}）" if result.summary else ""))


def fail_job(job: Job, reason: str) -> None:
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state__in=UNFINISHED).update(
            state=JobState.FAILED, error=reason[:2000], step="失败",
            finished_at=timezone.now())
        if updated:
            record(job.requested_by, "jobs.failed", job, changes={"error": reason[:500]},
                   username=_asker(job),
                   message=f"后台任务失败：{registry.label(job.kind)}：{reason[:200]}")


def start_due() -> list[Job]:
    """The kinds run on a schedule (registry.Kind.every): a new run when the last one, by any
    worker on any host, started that many minutes ago or more. Workers on several hosts may
    both start one in the same second; the kinds that have a schedule are safe to run twice
    at once (the mail fetch takes each message once), the next sweep sees the newer run."""
    started = []
    now = timezone.now()
    for kind in registry.kinds():
        minutes = kind.every() if kind.every else None
        if not minutes:
            continue
        last = Job.objects.filter(kind=kind.name, requested_by=None).order_by(
            "-created_at").values_list("created_at", flat=True).first()
        if last is None or now - last >= timedelta(minutes=minutes):
            started.append(start_job(None, kind.name))
    return started


def sweep() -> dict[str, int]:
    """Run by every worker at start and every few seconds after. A running job whose
    heartbeat stopped lost its worker (killed, host down): it is queued again, or after
    JOBS_MAX_ATTEMPTS runs failed with that reason. Queued jobs older than a heartbeat
    period are queued again too (the Redis broker loses messages a dead worker had taken;
    a duplicate message is harmless, `_claim` takes a job once). Expired files are removed."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "expired": 0}
    for job in Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=stale):
        if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            fail_job(job, f"处理该任务的后台进程已中断{job.attempts}次，不再重试；请重新提交")
            counts["failed"] += 1
            continue
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, state=JobState.RUNNING,
                                  heartbeat_at__lt=stale).update(
                    state=JobState.QUEUED, step="处理该任务的后台进程已中断，重新排队",
                    heartbeat_at=now):
                record(job.requested_by, "jobs.requeued", job,
                       username=_asker(job),
                       message=f"后台进程中断，任务重新排队（第{job.attempts + 1}次）")
                transaction.on_commit(lambda pk=job.pk: queue.enqueue(pk))
                counts["requeued"] += 1
    lost = Job.objects.filter(state=JobState.QUEUED).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale))
    for pk in lost.values_list("pk", flat=True):
        Job.objects.filter(pk=pk).update(heartbeat_at=now)
        queue.enqueue(pk)
    for job in Job.objects.filter(state=JobState.DONE, expires_at__lt=now).exclude(
            result_path=""):
        files.path_for(job.result_path).unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(result_path="")
        counts["expired"] += 1
    return counts


def expired(job: Job) -> bool:
    return job.state == JobState.DONE and bool(job.filename) and (
        not job.result_path or (job.expires_at is not None and job.expires_at <= timezone.now())
        or not files.path_for(job.result_path).exists())
