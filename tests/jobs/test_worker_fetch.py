"""Mail intake's fetch in a real worker process (`run_worker`, the database queue) against a
real IMAP server (the intake tests' dovecot): the worker starts it on its schedule, 立即收取
starts it for the person who pressed it, and the mail is filed as `fetch_mail` files it."""

import time
from urllib.parse import quote

import pytest
from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.intake.models import AttachmentState, MailAttachment, UnitMailAddress
from campaigndesk.jobs.models import Job
from tests.intake import mails
from tests.intake.conftest import beijing, imap_server, table  # noqa: F401 - the fixture

from .helpers import done
from .servers import Worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mailbox(request):
    server = request.getfixturevalue("imap_server")
    server.clear()
    return server


def mailbox_url(server) -> str:
    config = server.config
    return (f"imap://{quote(config['user'], safe='')}:{quote(config['password'], safe='')}"
            f"@{config['host']}:{config['port']}/{config['mailbox']}")


def test_the_worker_fetches_the_mailbox_on_its_schedule_and_on_the_button(
        mailbox, demo, personas, client, settings, tmp_path):
    UnitMailAddress.objects.create(unit=personas["reporter"].unit, address="hhht-mz@example.cn")
    mailbox.deliver((mails.message(files=[mails.File("呼和浩特市第一周.xlsx", table("甲"))]),
                     beijing(3, 24, 16, 30)))
    settings.MAIL_INTAKE, settings.MAIL_INTAKE_FETCH_MINUTES = mailbox.config, 60
    mail_worker = Worker("", tmp_path / "worker.log", {"MAIL_INTAKE_URL": mailbox_url(mailbox),
                                                       "MAIL_INTAKE_FETCH_MINUTES": "60"})
    try:
        # The worker's first sweep starts the periodic fetch: nobody asked, nobody's to open.
        deadline = time.monotonic() + 60
        while not Job.objects.filter(kind="intake.fetch", requested_by=None).exists():
            assert time.monotonic() < deadline, mail_worker.log.read_text(errors="replace")
            time.sleep(0.2)
        scheduled = Job.objects.get(kind="intake.fetch", requested_by=None)
        done(scheduled, mail_worker)
        assert scheduled.summary.startswith("读取新邮件 1 封")
        attachment = MailAttachment.objects.get()
        assert attachment.state == AttachmentState.PENDING
        assert attachment.message.unit.code == "150100"
        start = AuditEntry.objects.get(action="jobs.start", object_id=str(scheduled.pk))
        assert start.actor is None and start.actor_username == "后台定时任务"

        client.force_login(personas["reviewer"])
        inbox = client.get(reverse("intake_inbox")).content.decode()
        assert "后台每60分钟自动收取一次" in inbox and "上次收取" in inbox
        assert client.get(reverse("job_detail", args=[scheduled.pk])).status_code == 404
        # 立即收取: the button starts the same kind for the reviewer, who sees it end.
        response = client.post(reverse("intake_fetch"))
        pressed = Job.objects.get(kind="intake.fetch", requested_by=personas["reviewer"])
        assert response["Location"] == reverse("job_detail", args=[pressed.pk])
        done(pressed, mail_worker)
        page = client.get(response["Location"]).content.decode()
        assert "已完成：没有新邮件" in page and 'href="/intake/"' in page
        assert MailAttachment.objects.count() == 1  # the mail is taken once
        # Within the hour no second periodic fetch was started.
        assert Job.objects.filter(kind="intake.fetch", requested_by=None).count() == 1
    finally:
        assert mail_worker.stop() == 0
