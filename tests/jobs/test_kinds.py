"""The buttons that start the long work moved into jobs (posters, summary draft, summaries'
.zip, the package for 民政部, mail fetch): a POST from the page, the job's page with its
Chinese steps, the file offered there; refused at once to outsiders, read-only accounts and
the wrong method."""

import pytest
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs import services
from campaigndesk.jobs.models import Job, JobState
from tests.places.builders import make_place

from .helpers import finish_jobs


def press(client, url: str, back: str) -> Job:
    response = client.post(url)
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    finish_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and f'href="{back}"' in page, page
    job.refresh_from_db()
    return job


def refused_to_others(client, personas, url: str) -> None:
    """Reporters, the auditor and an account without a role get 403, a GET 405: no job."""
    for persona in ("reporter", "auditor", "no_role"):
        client.force_login(personas[persona])
        assert client.post(url).status_code == 403, persona
    client.force_login(personas["reviewer"])
    assert client.get(url).status_code == 405
    assert not Job.objects.exists()


def climbing(steps) -> bool:
    percents = [p for p, _ in steps]
    return percents == sorted(percents) and percents[-1] >= 95


def test_the_poster_bundle_is_a_job_of_the_unit(demo, personas, client, steps):
    make_place()
    make_place(name="新城区第二社工室")
    client.force_login(personas["reporter"])
    places = reverse("unit_places", args=["150100"])
    page = client.get(places + f"?campaign={demo.pk}").content.decode()
    url = reverse("unit_posters", args=[demo.pk, "150100"])
    assert f'action="{url}"' in page and "生成全部海报（.zip）" in page
    job = press(client, url, f"{places}?campaign={demo.pk}")
    assert (job.unit.code, job.filename) == ("150100", "呼和浩特市-服务场所海报.zip")
    texts = [t for _, t in steps]
    assert texts[0] == "共2个场所，每个场所生成A4、A3和展板三种海报"
    assert any(t.startswith("正在生成第2/2个场所的海报：") for t in texts)
    assert climbing(steps)
    assert AuditEntry.objects.filter(action="places.poster").count() == 6


def test_the_poster_bundle_is_refused_at_once_when_there_is_nothing_or_no_right(
        demo, personas, client):
    url = reverse("unit_posters", args=[demo.pk, "150100"])
    client.force_login(personas["reporter"])
    response = client.post(url, follow=True)
    assert "还没有登记服务场所" in response.content.decode()
    make_place()
    client.force_login(personas["other_reporter"])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404  # access first, then the method
    client.force_login(personas["reporter"])
    assert client.get(url).status_code == 405
    assert not Job.objects.exists()


def test_the_summary_draft_and_zip_are_jobs_of_the_campaign(demo, personas, client, steps):
    client.force_login(personas["reviewer"])
    summaries_page = reverse("campaign_summaries", args=[demo.pk])
    page = client.get(summaries_page).content.decode()
    draft_url = reverse("summary_draft", args=[demo.pk])
    assert f'action="{draft_url}"' in page
    dashboard = client.get(reverse("campaign_dashboard", args=[demo.pk])).content.decode()
    assert f'id="summary-draft-form" action="{draft_url}"' in dashboard
    assert 'form="summary-draft-form"' in dashboard
    job = press(client, draft_url, summaries_page)
    assert job.filename == f"{demo.title}总结（草稿）.docx"
    texts = [t for _, t in steps]
    assert texts[:3] == ["正在汇总各单位报送数据", "正在绘制统计图", "正在写入各单位开展情况"]
    assert climbing(steps)
    Job.objects.all().delete()
    steps.clear()
    job = press(client, reverse("summaries_zip", args=[demo.pk]), summaries_page)
    assert job.summary == "共0份总结"
    assert any(t.startswith(f"正在打包第1/{demo.participants.count()}个单位的总结：")
               for _, t in steps)
    assert climbing(steps)


@pytest.mark.parametrize("name", ["summary_draft", "summaries_zip"])
def test_the_summary_jobs_are_refused_to_reporters_and_the_auditor(name, demo, personas,
                                                                   client):
    url = reverse(name, args=[demo.pk])
    refused_to_others(client, personas, url)


def test_the_fetch_button_without_a_mailbox_says_so(demo, personas, client, settings):
    settings.MAIL_INTAKE = None
    client.force_login(personas["reviewer"])
    inbox = client.get(reverse("intake_inbox")).content.decode()
    assert "立即收取新邮件" not in inbox and "未配置厅报送邮箱" in inbox
    response = client.post(reverse("intake_fetch"), follow=True)
    assert "未配置厅报送邮箱（MAIL_INTAKE_URL），没有读取任何邮件" in response.content.decode()
    assert not Job.objects.exists()
    assert services.start_due() == []  # nor does the worker start one on its schedule


def test_a_fetch_that_cannot_reach_the_mailbox_fails_with_its_reason(demo, personas, client,
                                                                     settings):
    from tests.jobs.servers import free_port

    settings.MAIL_INTAKE = {"tls": False, "host": "127.0.0.1", "port": free_port(),
                            "user": "intake", "password": "x", "mailbox": "INBOX"}
    for persona in ("reporter", "auditor"):
        client.force_login(personas[persona])
        assert client.post(reverse("intake_fetch")).status_code == 403
    assert not Job.objects.exists()
    client.force_login(personas["reviewer"])
    inbox = client.get(reverse("intake_inbox")).content.decode()
    assert 'id="fetch-now"' in inbox and "后台每5分钟自动收取一次" in inbox
    assert client.get(reverse("intake_fetch")).status_code == 405
    client.post(reverse("intake_fetch"))
    job = finish_jobs()[0]
    assert job.state == JobState.FAILED and job.error.startswith("无法连接邮箱服务器")
    assert AuditEntry.objects.filter(action="jobs.failed", object_id=str(job.pk)).exists()
    inbox = client.get(reverse("intake_inbox")).content.decode()
    assert "收取失败：无法连接邮箱服务器" in inbox


def test_the_worker_starts_the_periodic_fetch_once_per_period(demo, settings):
    from datetime import timedelta

    settings.MAIL_INTAKE = {"tls": False, "host": "127.0.0.1", "port": 1, "user": "u",
                            "password": "p", "mailbox": "INBOX"}
    first = services.start_due()
    assert [job.kind for job in first] == ["intake.fetch"] and first[0].requested_by is None
    assert services.start_due() == []  # started less than 5 minutes ago
    earlier = first[0].created_at - timedelta(minutes=5)
    Job.objects.filter(pk=first[0].pk).update(created_at=earlier)
    assert services.start_due() == [first[0]]  # still queued: that one, not a second
    Job.objects.filter(pk=first[0].pk).update(state=JobState.DONE)
    assert len(services.start_due()) == 1
    settings.MAIL_INTAKE_FETCH_MINUTES = 0
    Job.objects.update(state=JobState.DONE, created_at=earlier - timedelta(hours=1))
    assert services.start_due() == []


def _recommended(demo, personas):
    from campaigndesk.articles.services import recommend_to_ministry
    from campaigndesk.units.models import Unit
    from tests.articles.matrix import brief

    recommend_to_ministry(personas["reviewer"], brief({"campaign": demo, "units": {
        "150100": Unit.objects.get(code="150100")}}))


def test_the_ministry_package_is_a_job_of_the_campaign(demo, personas, client, steps):
    _recommended(demo, personas)
    client.force_login(personas["reviewer"])
    review_list = reverse("campaign_articles", args=[demo.pk])
    url = reverse("campaign_ministry", args=[demo.pk])
    page = client.get(review_list).content.decode()
    assert f'action="{url}"' in page and "生成推荐至民政部材料包（zip）" in page
    assert not AuditEntry.objects.filter(action="article.ministry_package").exists()
    job = press(client, url, review_list)
    assert job.filename.startswith(f"{demo.title}-推荐至民政部-")
    texts = [t for _, t in steps]
    # The cover, the brief, its two photos, the list, the figures, the summary, the manifest.
    assert texts[0] == "正在读取推荐至民政部的稿件"
    assert texts[1:4] == ["已完成1/8项：推荐稿件报送单（Word）", "已完成2/8项：第1/1篇稿件",
                          "已完成3/8项：第1篇稿件的照片1"]
    assert texts[-1] == "已完成8/8项：文件清单（manifest.json）"
    assert climbing(steps)
    # Written by the job, as its asker, with what the file was.
    entry = AuditEntry.objects.get(action="article.ministry_package")
    assert entry.actor_username == "reviewer" and entry.changes["articles"] == 1
    assert "后台任务" in entry.message


def test_the_ministry_package_is_refused_at_once_when_nothing_is_recommended_or_no_right(
        demo, personas, client):
    url = reverse("campaign_ministry", args=[demo.pk])
    client.force_login(personas["reviewer"])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaign_articles", args=[demo.pk])
    assert "还没有推荐至民政部的稿件" in response.content.decode()
    assert not Job.objects.exists()
    _recommended(demo, personas)
    refused_to_others(client, personas, url)
