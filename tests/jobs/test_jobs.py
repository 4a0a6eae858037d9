"""Background jobs in one process: the consolidated workbook made as a job and offered on
its page, progress moving, a failure shown and audited, who may see a job and its file."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs import services
from campaigndesk.jobs.models import Job, JobState
from campaigndesk.progress import services as progress
from campaigndesk.progress.table import ActivityRow

from .helpers import download, finish_jobs


@pytest.fixture
def sent(demo, personas):
    report = progress.current_report(demo, personas["reporter"].unit)
    progress.save_round(personas["reporter"], report,
                        [(None, ActivityRow(name=f"活动{n}", participants=n)) for n in range(5)])
    progress.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    return report


def test_the_consolidated_workbook_is_made_as_a_job_and_offered_on_its_page(sent, demo,
                                                                            personas, client):
    client.force_login(personas["reviewer"])
    page = client.get(reverse("campaign_progress", args=[demo.pk])).content.decode()
    assert "生成汇总表（Excel）" in page
    response = client.post(reverse("campaign_progress_xlsx", args=[demo.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    queued = client.get(response["Location"]).content.decode()
    assert "排队中" in queued and "<progress" in queued and 'hx-trigger="every 1s"' in queued
    assert AuditEntry.objects.filter(action="jobs.start", object_id=str(job.pk)).exists()
    data = download(client, reverse("campaign_progress_xlsx", args=[demo.pk]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "汇总"
    cells = [c.value for row in book["呼和浩特市"].iter_rows() for c in row]
    assert "活动4" in cells
    job.refresh_from_db()
    assert (job.state, job.progress, job.filename) == (
        JobState.DONE, 100, f"{demo.title}-工作进展汇总表.xlsx")
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    assert AuditEntry.objects.filter(action="jobs.done", object_id=str(job.pk)).exists()
    assert AuditEntry.objects.filter(action="jobs.download", object_id=str(job.pk)).exists()


def test_asking_twice_while_it_runs_gives_the_same_job(sent, demo, personas):
    first = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    again = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    assert first.pk == again.pk
    other = services.start_job(personas["region_admin"], "progress.consolidated", campaign=demo)
    assert other.pk != first.pk


def test_progress_moves_as_rows_are_written(sent, demo, personas, steps):
    services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    finish_jobs()
    percents = [p for p, _ in steps]
    assert percents == sorted(percents) and percents[0] < 10 and percents[-1] == 99
    assert any("正在写入呼和浩特市" in text for _, text in steps)


def test_a_failure_is_shown_and_audited(demo, personas, client):
    job = services.start_job(personas["reviewer"], "tests.counting", campaign=demo,
                             params={"steps": 3, "fail_at": 1})
    finish_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "第2步的数据有误"
    entry = AuditEntry.objects.get(action="jobs.failed", object_id=str(job.pk))
    assert "第2步的数据有误" in entry.message
    client.force_login(personas["reviewer"])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "处理失败：第2步的数据有误" in page and 'role="alert"' in page
    assert "hx-trigger" not in page  # a finished job is not polled any more
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_only_the_person_who_asked_sees_the_job_and_its_file(sent, demo, personas, client):
    job = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    finish_jobs()
    for name in ("job_detail", "job_status", "job_download"):
        url = reverse(name, args=[job.pk])
        for persona in ("region_admin", "reporter", "auditor", "superuser"):
            client.force_login(personas[persona])
            assert client.get(url).status_code == 404, (persona, name)
        client.force_login(personas["reviewer"])
        assert client.get(url).status_code == 200, name
        assert client.post(url).status_code == 405, name
    client.force_login(personas["region_admin"])
    listing = client.get(reverse("job_list")).content.decode()
    assert reverse("job_detail", args=[job.pk]) not in listing and "还没有后台任务" in listing
    client.force_login(personas["reviewer"])
    assert reverse("job_detail", args=[job.pk]) in client.get(reverse("job_list")).content.decode()


def test_someone_who_lost_the_role_no_longer_gets_the_file(sent, demo, personas, client):
    job = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    finish_jobs()
    reviewer = personas["reviewer"]
    reviewer.role = "reporter"
    reviewer.unit = personas["reporter"].unit
    reviewer.save()
    client.force_login(reviewer)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_files_expire(sent, demo, personas, client):
    job = services.start_job(personas["reviewer"], "progress.consolidated", campaign=demo)
    finish_jobs()
    job.refresh_from_db()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.sweep()["expired"] == 1
    client.force_login(personas["reviewer"])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "文件已过期（保留24小时），请重新生成" in page
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_running_job_whose_heartbeat_stopped_is_queued_again_then_failed(demo, personas):
    job = services.start_job(personas["reviewer"], "tests.counting", campaign=demo)
    long_ago = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=long_ago,
                                         attempts=1)
    assert services.sweep()["requeued"] == 1
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    assert AuditEntry.objects.filter(action="jobs.requeued", object_id=str(job.pk)).exists()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=long_ago,
                                         attempts=3)
    assert services.sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断3次" in job.error
