"""The real worker process (`campaigndesk run_worker`) on the test database, with the
database as the queue and again with a real Redis: a job runs and yields its file, progress
moves, and a job left running by a killed worker is taken up by the next worker."""

import io
import time

import openpyxl
import pytest
from django_q.conf import Conf

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs import files, services
from campaigndesk.jobs.models import Job, JobState
from campaigndesk.units.models import Role, User

from .servers import Worker, start_redis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["database", "redis"])
def broker(request, monkeypatch, tmp_path):
    if request.param == "database":
        yield ""
        return
    server, url = start_redis(tmp_path)
    # This test process queues through the same Redis as its worker.
    monkeypatch.setattr(Conf, "REDIS", url)
    monkeypatch.setattr(Conf, "ORM", None)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def workers(broker, tmp_path):
    started = []

    def start():
        worker = Worker(broker, tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def asker(db):
    return User.objects.create_user("region-reviewer", password="Review#2022x",
                                    role=Role.REVIEWER)


def wait_for(job: Job, condition, seconds: float = 60, log=None) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.1)
    text = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"job {job.pk} stayed {job.state} {job.progress}% {job.step}\n{text}")


def test_a_job_runs_in_the_worker_and_its_progress_moves(workers, asker, tmp_path):
    worker = workers()
    job = services.start_job(asker, "tests.counting", params={"steps": 8, "sleep": 0.6})
    seen = set()

    def done(j):
        seen.add(j.progress)
        return j.state == JobState.DONE

    wait_for(job, done, log=worker.log)
    assert len({p for p in seen if 0 < p < 100}) >= 3, seen  # watched it move
    text = files.path_for(job.result_path).read_text()
    assert text.count("\n") == 8 and "第1次运行" in text
    assert job.filename == "计数.txt" and job.attempts == 1


def test_the_consolidated_workbook_comes_out_of_the_worker(workers, demo, personas):
    worker = workers()
    job = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    wait_for(job, lambda j: j.state == JobState.DONE, log=worker.log)
    book = openpyxl.load_workbook(io.BytesIO(files.path_for(job.result_path).read_bytes()))
    assert book.sheetnames[0] == "汇总" and "呼和浩特市" in book.sheetnames


def test_a_failure_in_the_worker_is_shown_and_audited(workers, asker):
    worker = workers()
    job = services.start_job(asker, "tests.counting", params={"steps": 3, "fail_at": 2})
    wait_for(job, lambda j: j.state == JobState.FAILED, log=worker.log)
    assert job.error == "第3步的数据有误"
    assert AuditEntry.objects.filter(action="jobs.failed", object_id=str(job.pk)).exists()


def test_a_job_left_running_by_a_killed_worker_is_taken_up_again(workers, asker):
    first = workers()
    job = services.start_job(asker, "tests.counting", params={"steps": 12, "sleep": 0.5})
    wait_for(job, lambda j: j.state == JobState.RUNNING and j.progress >= 25, log=first.log)
    first.kill()  # SIGKILL to the worker and every process it forked: nothing is cleaned up
    job.refresh_from_db()
    stopped_at = job.progress
    assert job.state == JobState.RUNNING and stopped_at < 100
    time.sleep(1.5)
    job.refresh_from_db()
    assert job.progress == stopped_at  # nobody is running it
    second = workers()
    wait_for(job, lambda j: j.state == JobState.DONE, seconds=90, log=second.log)
    assert job.attempts == 2
    text = files.path_for(job.result_path).read_text()
    assert text.count("\n") == 12 and "第2次运行" in text and "第1次运行" not in text
    assert AuditEntry.objects.filter(action="jobs.requeued", object_id=str(job.pk)).exists()
    assert second.stop() == 0
