"""The department's mailbox as an intake, against a real IMAP server (dovecot).

A bureau mails its table; `fetch_mail` files it for the bureau; the bureau's reporter
sees the same preview as an upload and confirms; the round counts as submitted at the
mail's arrival, not at the confirmation.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail as outbox
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Submission
from campaigndesk.campaigns.status import unit_statuses
from campaigndesk.intake import filing
from campaigndesk.intake.models import (
    AttachmentState,
    MailAttachment,
    MailboxMark,
    MailMessage,
    MessageState,
    UnitMailAddress,
)
from campaigndesk.progress import reported
from campaigndesk.progress.models import Report, ReportStatus

from . import mails
from .conftest import beijing, table

HOHHOT = "hhht-mz@example.cn"


@pytest.fixture
def registered(units):
    return UnitMailAddress.objects.create(unit=units["150100"], address=HOHHOT)


def fetch() -> str:
    from io import StringIO

    out = StringIO()
    call_command("fetch_mail", stdout=out)
    return out.getvalue()


def test_a_mailed_table_is_the_units_pending_import_and_counts_at_the_mails_time(
        mailbox, demo, personas, registered, client):
    arrived = beijing(3, 24, 16, 30)  # half an hour before the first round's deadline
    mailbox.deliver((mails.message(files=[mails.File("呼和浩特市第一周.xlsx", table("甲", "乙"))]),
                     arrived))
    assert "读取新邮件 1 封" in fetch()
    attachment = MailAttachment.objects.get()
    assert attachment.state == AttachmentState.PENDING
    assert attachment.message.unit.code == "150100"
    assert attachment.deadline.title == "第一次工作进展报送"
    assert not Report.objects.exists()  # nothing reported, nothing even drafted

    client.force_login(personas["reporter"])
    waiting = client.get(reverse("unit_mail", kwargs={"code": "150100"})).content.decode()
    assert "呼和浩特市第一周.xlsx" in waiting and "待确认（1）" in waiting
    home = client.get(reverse("campaign_unit_home", kwargs={"campaign_pk": demo.pk,
                                                            "code": "150100"}))
    assert "有 1 个邮件发来的附件待确认" in home.content.decode()
    preview = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
    page = preview.content.decode()
    assert "读到 2 行活动，均无错误" in page and "甲" in page  # the upload's own preview
    assert "将报送第一次工作进展报送（3月24日 17:00 截止）" in page and "按时" in page
    assert "2022-03-24 16:30 到达" in page

    # Confirmed days later: still on time, because the mail arrived before the deadline.
    with time_machine.travel(beijing(3, 28, 9), tick=False):
        done = client.post(reverse("intake_confirm", kwargs={"pk": attachment.pk}),
                           {"reporter_name": "王芳", "reporter_phone": "13800001234",
                            "revisions": preview.context["revisions"]}, follow=True)
    assert "已按邮件到达时间报送第一次工作进展报送，第1版" in done.content.decode()
    report = Report.objects.get()
    version = report.versions.get()
    assert report.status == ReportStatus.SUBMITTED
    assert (version.submitted_at, version.by_mail, version.is_late) == (arrived, True, False)
    submission = Submission.objects.get(unit__code="150100", deadline=report.deadline)
    assert (submission.submitted_at, submission.by_mail) == (arrived, True)
    counted = reported.reported(demo).filter(unit__code="150100")
    assert sorted(counted.values_list("name", flat=True)) == ["乙", "甲"]
    status = next(s for s in unit_statuses(demo, report.unit) if s.deadline == report.deadline)
    assert status.detail == "03-24 16:30邮件报送"
    assert "邮件报送" in done.content.decode()  # the report page's versions table
    attachment.refresh_from_db()
    assert attachment.state == AttachmentState.CONFIRMED and attachment.report == report
    entry = AuditEntry.objects.get(action="intake.confirm")
    assert entry.actor == personas["reporter"]


def test_after_the_last_deadline_the_table_is_late_by_the_mails_time_and_the_region_may_confirm(
        mailbox, demo, personas, registered, client):
    from campaigndesk.progress import services as progress
    from campaigndesk.progress.table import ActivityRow

    first = progress.current_report(demo, personas["reporter"].unit)
    progress.save_round(personas["reporter"], first, [(None, ActivityRow(name="第一轮"))])
    progress.submit_report(personas["reporter"], first, reporter_name="王芳",
                           reporter_phone="13800001234")
    arrived = beijing(4, 1, 9)  # the second (last) round closed 3-31 17:00
    mailbox.deliver((mails.message(files=[mails.File("补报.xlsx", table("丙"))]), arrived))
    fetch()
    attachment = MailAttachment.objects.get()
    assert attachment.deadline.title == "第二次工作进展报送"
    client.force_login(personas["region_admin"])
    page = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
    assert "逾期 16小时" in page.content.decode()
    client.post(reverse("intake_confirm", kwargs={"pk": attachment.pk}),
                {"reporter_name": "王芳", "reporter_phone": "13800001234",
                 "revisions": page.context["revisions"]})
    version = Report.objects.get(deadline=attachment.deadline).versions.get()
    assert version.is_late and version.submitted_at == arrived
    entry = AuditEntry.objects.get(action="intake.confirm")
    assert entry.actor == personas["region_admin"] and entry.message == "代呼和浩特市确认"


def test_a_round_one_table_mailed_after_its_deadline_is_round_one_late(
        mailbox, demo, personas, registered, client):
    # An hour after round 1's deadline, with round 1 not sent: it used to become an on-time
    # round 2, leaving round 1 逾期未报 for good.
    arrived = beijing(3, 24, 18)
    mailbox.deliver((mails.message(files=[mails.File("第一次.xlsx", table("甲"))]), arrived))
    fetch()
    attachment = MailAttachment.objects.get()
    assert attachment.deadline.title == "第一次工作进展报送"
    client.force_login(personas["reporter"])
    page = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
    text = page.content.decode()
    assert "将报送第一次工作进展报送" in text and "逾期 1小时" in text
    assert "按时" not in text.split('id="mail-round"')[1].split("</p>")[0]


def test_rows_typed_on_the_web_since_are_not_backdated_to_the_mail(
        mailbox, demo, personas, registered, client):
    # Confirming imported the mail's rows into the round's draft and submitted the whole
    # round under the mail's time, rows typed on the web afterwards included.
    from campaigndesk.progress import services as progress
    from campaigndesk.progress.table import ActivityRow

    arrived = beijing(3, 24, 10)
    mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))]), arrived))
    fetch()
    attachment = MailAttachment.objects.get()
    reporter = personas["reporter"]
    with time_machine.travel(beijing(3, 25, 9), tick=False):
        report = progress.current_report(demo, reporter.unit)
        progress.save_round(reporter, report, [(None, ActivityRow(name="网页上补填的活动"))])
        client.force_login(reporter)
        page = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
        text = page.content.decode()
        assert 'id="mail-beside"' in text and "“网页上补填的活动”" in text
        client.post(reverse("intake_confirm", kwargs={"pk": attachment.pk}),
                    {"reporter_name": "王芳", "reporter_phone": "13800001234",
                     "revisions": page.context["revisions"]})
    version = Report.objects.get().versions.get()
    assert version.submitted_at == beijing(3, 25, 9) and not version.by_mail
    assert version.is_late  # counted when confirmed, after the 3-24 17:00 deadline
    names = set(reported.reported(demo).values_list("name", flat=True))
    assert names == {"甲", "网页上补填的活动"}


def test_a_correction_that_reuses_a_message_id_is_not_lost(mailbox, demo, registered):
    for name, rows in (("统计表.xlsx", ("甲",)), ("更正统计表.xlsx", ("甲", "乙"))):
        raw = mails.message(files=[mails.File(name, table(*rows))],
                            message_id="<same@163.com>")
        mailbox.deliver((raw, beijing(3, 24, 10)))
    fetch()
    assert MailMessage.objects.count() == 2
    assert "没有新邮件" in fetch()  # and each is still taken once
    MailboxMark.objects.all().delete()  # even with the read mark lost
    fetch()
    assert MailMessage.objects.count() == 2


def test_a_bad_phone_at_confirmation_imports_nothing(mailbox, demo, personas, registered, client):
    mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))]),
                     beijing(3, 24, 10)))
    fetch()
    attachment = MailAttachment.objects.get()
    client.force_login(personas["reporter"])
    answer = client.post(reverse("intake_confirm", kwargs={"pk": attachment.pk}),
                         {"reporter_name": "王芳", "reporter_phone": "12345"})
    assert answer.status_code == 400
    assert "手机号码“12345”不正确" in answer.content.decode()
    assert not Report.objects.filter(activities__isnull=False).exists()
    attachment.refresh_from_db()
    assert attachment.state == AttachmentState.PENDING


def test_a_grid_saved_after_the_preview_makes_a_new_preview_not_an_import(
        mailbox, demo, personas, registered, client):
    from campaigndesk.progress import services
    from campaigndesk.progress.table import ActivityRow

    mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))]),
                     beijing(3, 24, 10)))
    fetch()
    attachment = MailAttachment.objects.get()
    client.force_login(personas["reporter"])
    preview = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
    report = services.current_report(demo, personas["reporter"].unit)
    services.save_round(personas["reporter"], report, [(None, ActivityRow(name="网页上填的"))])
    again = client.post(reverse("intake_confirm", kwargs={"pk": attachment.pk}),
                        {"reporter_name": "王芳", "reporter_phone": "13800001234",
                         "revisions": preview.context["revisions"]})
    assert again.status_code == 409 and "生成预览之后" in again.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert list(report.activities.values_list("name", flat=True)) == ["网页上填的"]


def test_two_overlapping_runs_take_each_message_once(mailbox, demo, personas, registered,
                                                     monkeypatch):
    mailbox.deliver(*[(mails.message(files=[mails.File(f"表{n}.xlsx", table(f"活动{n}"))]),
                       beijing(3, 24, 10, n)) for n in range(3)])
    second = {}
    original = filing.process

    def slow_first_run(message, raw, **options):
        # While the first run holds its first claimed message, a second run starts.
        if not second:
            second["started"] = True
            second["result"] = filing.run()
        original(message, raw, **options)

    monkeypatch.setattr(filing, "process", slow_first_run)
    first = filing.run()
    assert second["result"].messages + first.messages == 3
    assert second["result"].skipped >= 1  # the message the first run was holding
    assert MailMessage.objects.count() == 3 and MailAttachment.objects.count() == 3
    monkeypatch.setattr(filing, "process", original)
    assert filing.run().messages == 0
    MailboxMark.objects.all().delete()  # the read mark lost: the Message-IDs still hold
    again = filing.run()
    assert (again.messages, again.skipped) == (0, 3)


def test_a_claim_that_loses_the_race_takes_nothing(mailbox, demo):
    listed = filing.Listed(uid=1, size=10, arrived=beijing(3, 24, 10), message_id="<a@b>")
    assert filing.claim("<a@b>", listed, 7) is not None
    assert filing.claim("<a@b>", listed, 7) is None  # the unique Message-ID decides


def test_a_25_mb_attachment_is_refused_with_a_reply(mailbox, demo, registered, settings,
                                                    django_capture_on_commit_callbacks):
    settings.MAIL_INTAKE_REPLIES = True
    settings.CAMPAIGNDESK_SITE_URL = "https://campaign.example.gov.cn"
    big = b"\0" * (25 * 1024 * 1024 + 1)
    mailbox.deliver((mails.message(files=[mails.File("活动视频.mp4", big),
                                          mails.File("统计表.xlsx", table("甲"))]),
                     beijing(3, 24, 10)))
    with django_capture_on_commit_callbacks(execute=True):
        out = fetch()
    assert "拒收附件 1 个" in out
    video, sheet = MailAttachment.objects.order_by("position")
    assert video.state == AttachmentState.REFUSED and video.key == ""
    assert "附件过大（25.0 MB），上限为 25 MB" in video.note
    assert sheet.state == AttachmentState.PENDING
    assert [p.name for p in (settings.DATA_DIR / "imports" / "mail").iterdir()] == [
        f"{sheet.key}.mail"]
    (reply,) = outbox.outbox
    assert reply.to == [HOHHOT] and reply.subject == "已收到：呼和浩特市第一次工作进展报送"
    assert "活动视频.mp4" in reply.body and "附件过大" in reply.body
    assert "https://campaign.example.gov.cn/units/150100/mail/" in reply.body
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert MailMessage.objects.get().replied_at is not None


def test_no_reply_by_default_and_never_to_an_auto_reply(mailbox, demo, registered, settings,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))]), None))
        fetch()
        settings.MAIL_INTAKE_REPLIES = True
        mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))],
                                       headers=["Auto-Submitted: auto-replied"]), None))
        fetch()
    assert outbox.outbox == []
    assert MailMessage.objects.count() == 2


def test_an_unknown_sender_waits_for_a_region_user_who_assigns_it(mailbox, demo, personas,
                                                                  client):
    mailbox.deliver((mails.message(sender="someone@qq.example", files=[
        mails.File("统计表.xlsx", table("甲"), naming="rfc2231")]), beijing(3, 24, 10)))
    assert "待分配单位的邮件 1 封" in fetch()
    message = MailMessage.objects.get()
    assert message.state == MessageState.NEEDS_UNIT and message.unit is None
    client.force_login(personas["reporter"])
    assert "统计表.xlsx" not in client.get(reverse("unit_mail", kwargs={"code": "150100"})
                                          ).content.decode()
    assert client.get(reverse("intake_message", kwargs={"pk": message.pk})).status_code == 404
    client.force_login(personas["reviewer"])
    inbox = client.get(reverse("intake_inbox")).content.decode()
    assert "someone@qq.example" in inbox and "待分配单位" in inbox
    client.post(reverse("intake_assign", kwargs={"pk": message.pk}),
                {"unit": "150100", "remember": "1"})
    message.refresh_from_db()
    assert message.state == MessageState.FILED and message.unit.code == "150100"
    assert UnitMailAddress.objects.get().address == "someone@qq.example"
    assert AuditEntry.objects.filter(action="intake.assign", actor=personas["reviewer"]).exists()
    assert message.attachments.get().deadline.title == "第一次工作进展报送"
    client.force_login(personas["reporter"])
    assert "统计表.xlsx" in client.get(reverse("unit_mail", kwargs={"code": "150100"})
                                      ).content.decode()
    # The reviewer sorts the mailbox but does not report for a unit.
    client.force_login(personas["reviewer"])
    refused = client.post(reverse("intake_confirm", kwargs={"pk": message.attachments.get().pk}),
                          {"reporter_name": "王芳", "reporter_phone": "13800001234"})
    assert refused.status_code == 403


def test_an_address_registered_for_two_units_waits_too(mailbox, demo, units, personas):
    UnitMailAddress.objects.create(unit=units["150100"], address="shared@example.cn")
    personas["other_reporter"].email = "Shared@Example.cn"
    personas["other_reporter"].save()
    mailbox.deliver((mails.message(sender="shared@example.cn",
                                   files=[mails.File("表.xlsx", table("甲"))]), None))
    fetch()
    message = MailMessage.objects.get()
    assert message.state == MessageState.NEEDS_UNIT
    assert message.candidates == ["150100", "150200"]


def test_the_account_address_of_a_reporter_finds_the_unit(mailbox, demo, personas):
    personas["other_reporter"].email = "baotou@example.cn"
    personas["other_reporter"].save()
    mailbox.deliver((mails.message(sender="BaoTou@example.cn",
                                   files=[mails.File("表.xlsx", table("甲"))]), None))
    fetch()
    assert MailMessage.objects.get().unit.code == "150200"


def test_a_table_inside_a_forwarded_eml_is_read_like_any_other(mailbox, demo, personas,
                                                               registered, client):
    inner = mails.message(subject="原邮件：第一次报送",
                          files=[mails.File("原表.xlsx", table("甲"))])
    mailbox.deliver((mails.message(subject="Fw: 第一次报送", files=[
        mails.Forwarded(inner, as_eml_file="原邮件.eml")]), beijing(3, 24, 11)))
    fetch()
    attachment = MailAttachment.objects.get()
    assert (attachment.filename, attachment.inside) == ("原表.xlsx", "原邮件：第一次报送")
    client.force_login(personas["reporter"])
    page = client.get(reverse("intake_attachment", kwargs={"pk": attachment.pk}))
    assert "读到 1 行活动，均无错误" in page.content.decode()


def test_a_brief_with_photos_beside_it_becomes_a_draft(mailbox, demo, personas, registered,
                                                       client):
    import docx

    from tests.articles.conftest import BODY, TITLE, jpeg

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for paragraph in BODY.split("\n"):
        document.add_paragraph(paragraph)
    from io import BytesIO

    buffer = BytesIO()
    document.save(buffer)
    mailbox.deliver((mails.message(subject="赛罕区宣传稿件", files=[
        mails.File("赛罕区宣传稿件.docx", buffer.getvalue()),
        mails.File("现场1.jpg", jpeg(shapes=3), "image/jpeg"),
        mails.File("说明.zip", b"PK\x03\x04zip")]), beijing(3, 20, 10)))
    fetch()
    brief, photo, other = MailAttachment.objects.order_by("position")
    assert other.state == AttachmentState.KEPT
    client.force_login(personas["reporter"])
    glance = client.get(reverse("intake_attachment", kwargs={"pk": brief.pk})).content.decode()
    assert TITLE in glance and "邮件中另附照片 1 张" in glance
    done = client.post(reverse("intake_confirm", kwargs={"pk": brief.pk}))
    from campaigndesk.articles.models import Article, State

    article = Article.objects.get()
    assert done["Location"] == reverse("article_edit", kwargs={"pk": article.pk})
    assert (article.title, article.state, article.unit.code) == (TITLE, State.DRAFT, "150100")
    assert article.photos.get().original_name == "现场1.jpg"
    photo.refresh_from_db()
    assert photo.state == AttachmentState.CONFIRMED and photo.article == article
    # The other file stays on record for the region, downloaded as a file (audited).
    client.force_login(personas["region_admin"])
    download = client.get(reverse("intake_file", kwargs={"pk": other.pk}))
    assert b"".join(download.streaming_content) == b"PK\x03\x04zip"
    assert download["Content-Type"] == "application/octet-stream"
    assert AuditEntry.objects.filter(action="intake.download").exists()


def test_pictures_of_the_word_file_attached_again_are_added_once(mailbox, demo, personas,
                                                                 registered, client):
    # The .docx held two pictures and the same two JPEGs were attached beside it: the
    # draft had four photos, two of them the same.
    from io import BytesIO

    import docx
    from docx.shared import Cm

    from campaigndesk.articles.models import Article
    from tests.articles.conftest import BODY, TITLE, jpeg

    pictures = [jpeg(shapes=3), jpeg(shapes=8)]
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for paragraph in BODY.split("\n"):
        document.add_paragraph(paragraph)
    for picture in pictures:
        document.add_picture(BytesIO(picture), width=Cm(8))
    buffer = BytesIO()
    document.save(buffer)
    mailbox.deliver((mails.message(subject="赛罕区宣传稿件", files=[
        mails.File("稿件.docx", buffer.getvalue()),
        *(mails.File(f"图{n}.jpg", p, "image/jpeg") for n, p in enumerate(pictures, 1))]),
        beijing(3, 20, 10)))
    fetch()
    brief = MailAttachment.objects.get(filename="稿件.docx")
    client.force_login(personas["reporter"])
    client.post(reverse("intake_confirm", kwargs={"pk": brief.pk}))
    article = Article.objects.get()
    assert article.photos.count() == 2
    notes = set(MailAttachment.objects.filter(filename__startswith="图").values_list(
        "note", flat=True))
    assert notes == {"与稿件中已有的图片相同，未重复加入"}


def test_photos_with_a_long_text_make_the_text_the_brief(mailbox, demo, registered):
    from tests.articles.conftest import BODY, jpeg

    mailbox.deliver((mails.message(subject="赛罕区开展主题宣传活动", text=BODY, files=[
        mails.File("1.jpg", jpeg(shapes=5), "image/jpeg")]), None))
    fetch()
    brief, photo = MailAttachment.objects.order_by("position")
    assert (brief.filename, brief.state, photo.state) == ("邮件正文.txt", "pending", "pending")


def test_without_a_mailbox_or_with_a_wrong_password_the_command_says_so(mailbox, settings):
    settings.MAIL_INTAKE = None
    with pytest.raises(CommandError, match="未配置 MAIL_INTAKE_URL"):
        fetch()
    settings.MAIL_INTAKE = mailbox.config | {"password": "wrong"}
    with pytest.raises(CommandError, match="登录失败") as raised:
        fetch()
    assert "wrong" not in str(raised.value)


def test_subjects_and_names_of_every_client_survive_the_server(mailbox, demo, registered):
    inner = mails.message(subject="原邮件", files=[mails.File("转发的表.xlsx", table("甲"))])
    mailbox.deliver(
        (mails.message(subject="包头市：第一次报送", subject_charset="UTF-8", files=[
            mails.File("包头市九原区工作进展情况统计表（第一次）.xlsx", table("甲"),
                       naming="rfc2231")]), None),
        (mails.message(subject="Fw: 原邮件", files=[mails.Forwarded(inner)]), None),
        (mails.raw_gbk_message("赤峰市工作进展", "赤峰市统计表.xls", b"\xd0\xcf"), None))
    fetch()
    found = {m.subject: [(a.filename, a.inside) for a in m.attachments.all()]
             for m in MailMessage.objects.all()}
    assert found == {"包头市：第一次报送": [("包头市九原区工作进展情况统计表（第一次）.xlsx", "")],
                     "Fw: 原邮件": [("转发的表.xlsx", "原邮件")],
                     "赤峰市工作进展": [("赤峰市统计表.xls", "")]}


def test_a_run_that_died_after_its_claim_is_taken_up_later(mailbox, demo, registered,
                                                           monkeypatch):
    mailbox.deliver((mails.message(files=[mails.File("表.xlsx", table("甲"))]), None))

    def killed(message, raw, **options):
        raise KeyboardInterrupt  # the process stopped between the claim and the filing

    original = filing.process
    monkeypatch.setattr(filing, "process", killed)
    with pytest.raises(KeyboardInterrupt):
        filing.run()
    monkeypatch.setattr(filing, "process", original)
    assert MailMessage.objects.get().state == MessageState.RECEIVED
    assert filing.run().messages == 0  # claimed by a run that may still be working
    with time_machine.travel(timezone.now() + timedelta(minutes=filing.STALE_MINUTES + 1)):
        assert filing.run().messages == 1
    assert MailMessage.objects.get().state == MessageState.FILED
    assert MailAttachment.objects.get().state == AttachmentState.PENDING


def test_a_message_far_over_the_limit_is_not_downloaded(mailbox, demo, registered, settings,
                                                        monkeypatch):
    settings.MAIL_INTAKE_MAX_ATTACHMENT_BYTES = 100 * 1024  # a whole message of 400 KB at most
    mailbox.deliver((mails.message(files=[mails.File("视频.mp4", b"\0" * 600 * 1024)]), None))
    fetched = []
    original = filing.Mailbox.fetch

    def fetch_recorded(self, uid, *, header_only=False):
        fetched.append(header_only)
        return original(self, uid, header_only=header_only)

    monkeypatch.setattr(filing.Mailbox, "fetch", fetch_recorded)
    fetch()
    assert fetched == [True]  # the header only
    message = MailMessage.objects.get()
    (whole,) = message.attachments.all()
    assert message.subject == "呼和浩特市第一次工作进展报送" and message.unit.code == "150100"
    assert whole.state == AttachmentState.REFUSED and whole.note.startswith("邮件过大（0.8 MB）")
