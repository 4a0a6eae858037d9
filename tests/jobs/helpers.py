"""Running queued jobs inside a test: the worker's own function (services.run_job) on each
queued job, as the worker would. The real worker process is tested in test_worker.py."""

from campaigndesk.jobs import services
from campaigndesk.jobs.models import Job, JobState


def finish_jobs() -> list[Job]:
    done = []
    for pk in Job.objects.filter(state=JobState.QUEUED).order_by("pk").values_list("pk",
                                                                                    flat=True):
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
