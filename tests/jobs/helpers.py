"""Running queued jobs inside a test: the worker's own function (services.run_job) on each
queued job, as the worker would. The real worker process is tested in test_worker.py."""

import time
from unittest import mock

from campaigndesk.jobs import files, services
from campaigndesk.jobs.models import Job, JobState


class _NoBeats(services._Heartbeat):
    """Inside a test's transaction the test holds SQLite's write lock: a beat from the
    thread's own connection would wait out the busy timeout (20 s) for a job of more than a
    second (the posters). Liveness is the real worker's, tested in test_worker.py."""

    def run(self) -> None:
        self.done.wait()


def finish_jobs() -> list[Job]:
    done = []
    with mock.patch.object(services, "_Heartbeat", _NoBeats):
        for pk in Job.objects.filter(state=JobState.QUEUED).order_by("pk").values_list(
                "pk", flat=True):
            services.run_job(pk)
            done.append(Job.objects.get(pk=pk))
    return done


def download(client, start_url: str, data=None) -> bytes:
    """What a person does: press the button (POST), land on the job's page, wait for the
    worker, take the file offered there."""
    response = client.post(start_url, data or {})
    assert response.status_code == 302, response.status_code
    page = response["Location"]
    finish_jobs()
    html = client.get(page).content.decode()
    assert "已完成" in html, html
    link = page + "download"
    assert f'href="{link}"' in html
    answer = client.get(link)
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def done(job: Job, worker, seconds: float = 120) -> bytes:
    """Waits for a real worker (servers.Worker) to finish the job; its file's bytes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (JobState.DONE, JobState.FAILED):
            break
        time.sleep(0.2)
    log = worker.log.read_text(errors="replace")[-3000:] if worker.log.exists() else ""
    assert job.state == JobState.DONE, (job.state, job.step, job.error, log)
    return files.path_for(job.result_path).read_bytes() if job.result_path else b""
