"""Points 6, 7 and 11: an entry for every main action, rollback when the entry cannot be
written, retention with a purge that never removes young entries, the auditor's export."""

import csv
import io
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.audit.services import record
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units.models import Unit, User
from tests.jobs.helpers import finish_jobs

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def actions() -> set[str]:
    return set(AuditEntry.objects.values_list("action", flat=True))


def test_log_ins_locks_and_account_changes_are_audited(demo, personas, client):
    client.post(reverse("login"), {"username": "150100", "password": "nope-Nope1"})
    client.post(reverse("login"), {"username": "150100", "password": DEMO_PASSWORD})
    client.logout()
    for _ in range(5):
        client.post(reverse("login"), {"username": "150200", "password": "nope-Nope1"})
    assert {"auth.login_failed", "auth.login", "security.lock"} <= actions()
    entry = AuditEntry.objects.filter(action="auth.login").first()
    assert entry.address == "127.0.0.1" and entry.actor_username == "150100"

    client.force_login(personas["region_admin"])
    unit = Unit.objects.get(code="150100")
    client.post(reverse("account_create"), {
        "username": "newone", "full_name": "新人", "role": "reporter", "unit": unit.pk,
        "phone": "13800001111", "email": "", "password1": "First#Pass2026",
        "password2": "First#Pass2026"})
    new = User.objects.get(username="newone")
    client.post(reverse("account_edit", kwargs={"pk": new.pk}), {
        "full_name": "新人", "role": "reviewer", "unit": "", "phone": "", "email": "",
        "is_active": "on", "version": new.version})
    client.post(reverse("account_password", kwargs={"pk": new.pk}), {
        "new_password1": "Second#Pass2026", "new_password2": "Second#Pass2026"})
    assert {"account.create", "account.update", "account.reset_password"} <= actions()
    role_change = AuditEntry.objects.get(action="account.update", object_id=str(new.pk))
    assert role_change.changes["role"] == ["reporter", "reviewer"]
    for entry in AuditEntry.objects.filter(action__startswith="account."):
        assert "First#Pass2026" not in str(entry.changes)
        assert "Second#Pass2026" not in str(entry.changes)


def test_records_uploads_submissions_and_downloads_are_audited(demo, personas, client):
    from tests.articles.conftest import BODY, TITLE, jpeg
    from tests.progress.builders import messy_table

    client.force_login(personas["reporter"])
    in_demo = {"campaign_pk": demo.pk, "code": "150100"}
    # Progress: a grid save, an upload with preview and import, a submission, a download.
    client.post(reverse("campaign_unit_progress", kwargs=in_demo), {
        "row_count": "1", "r-0-name": "宣传活动", "r-0-dates": "2022-03-18",
        "r-0-participants": "10", "r-0-beneficiaries": "5", "r-0-service_areas": "",
        "action": "save", "revision": "0"})
    upload = io.BytesIO(messy_table())
    upload.name = "进展.xlsx"
    preview = client.post(reverse("campaign_progress_import", kwargs=in_demo),
                          {"file": upload})
    assert preview.status_code == 200
    assert {"progress.save", "progress.upload"} <= actions()

    from campaigndesk.progress.models import Report

    report = Report.objects.get(unit__code="150100")
    client.post(reverse("campaign_unit_progress", kwargs=in_demo), {
        "row_count": "1", "r-0-name": "宣传活动", "r-0-dates": "2022-03-18",
        "action": "submit", "reporter_name": "王芳", "reporter_phone": "13800001234",
        "revision": str(report.revision)})
    client.get(reverse("report_xlsx", kwargs={"pk": report.pk}))
    assert {"progress.submit", "progress.export"} <= actions()
    # Briefs: create, edit, photo upload, delete.
    client.post(reverse("campaign_article_create", kwargs=in_demo),
                {"title": TITLE, "body": BODY})
    from campaigndesk.articles.models import Article

    article = Article.objects.get(title=TITLE)
    client.post(reverse("photo_add", kwargs={"pk": article.pk}),
                {"image": _named(jpeg(), "a.jpg"), "caption": "现场"})
    client.post(reverse("article_edit", kwargs={"pk": article.pk}), {
        "title": TITLE + "（修改）", "body": BODY, "version": "0"})
    client.post(reverse("article_delete", kwargs={"pk": article.pk}), {"reason": "重复"})
    assert {"article.create", "article.photo_add", "article.update",
            "article.delete"} <= actions()
    # Region side: reopen, restore, exports with personal data.
    client.force_login(personas["region_admin"])
    client.post(reverse("report_reopen", kwargs={"pk": report.pk}), {"reason": "请补充"})
    client.post(reverse("article_restore", kwargs={"pk": article.pk}))
    client.post(reverse("campaign_progress_xlsx", kwargs={"pk": demo.pk}))  # a job
    from campaigndesk.articles.services import recommend_to_ministry
    from tests.articles.matrix import brief

    recommend_to_ministry(personas["reviewer"], brief({"campaign": demo, "units": {
        "150100": Unit.objects.get(code="150100")}}))
    client.post(reverse("campaign_ministry", kwargs={"pk": demo.pk}))
    finish_jobs()  # the package's job writes its entry
    assert {"progress.reopen", "article.restore", "progress.export_consolidated",
            "article.ministry_package"} <= actions()


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.mark.parametrize("where", ["units", "accounts", "progress", "articles"])
def test_when_the_audit_write_fails_the_change_rolls_back(demo, personas, where):
    """record() raising inside a service undoes the service's change: both are one
    transaction (and the view's own transaction, if any, sees the error)."""
    admin, reporter = personas["region_admin"], personas["reporter"]

    def boom(*args, **kwargs):
        raise DatabaseError("audit table unavailable")

    if where == "units":
        from campaigndesk.units import services as module

        target = Unit.objects.get(code="150100")
        call = lambda: module.update_unit(admin, target, name="改名")  # noqa: E731
        check = lambda: Unit.objects.get(code="150100").name == "呼和浩特市"  # noqa: E731
    elif where == "accounts":
        from campaigndesk.units import accounts as module

        call = lambda: module.update_account(admin, reporter, full_name="改名")  # noqa: E731
        check = lambda: User.objects.get(pk=reporter.pk).full_name != "改名"  # noqa: E731
    elif where == "progress":
        from campaigndesk.progress import services as module
        from campaigndesk.progress.models import Activity
        from campaigndesk.progress.table import ActivityRow

        report = module.current_report(demo, Unit.objects.get(code="150100"))
        call = lambda: module.save_round(reporter, report, [(None, ActivityRow(name="x"))])  # noqa: E731
        check = lambda: not Activity.objects.exists()  # noqa: E731
    else:
        from campaigndesk.articles import services as module
        from campaigndesk.articles.models import Article

        call = lambda: module.create_article(  # noqa: E731
            reporter, campaign=demo, unit=Unit.objects.get(code="150100"), title="t", body="b")
        check = lambda: not Article.objects.exists()  # noqa: E731
    with mock.patch.object(module, "record", boom), pytest.raises(DatabaseError):
        call()
    assert check()


def test_the_database_refuses_update_and_delete(demo):
    entry = record(None, "test.entry", message="x")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET message = 'y' WHERE id = %s", [entry.pk])
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def _entry_at(when: datetime, action: str) -> AuditEntry:
    with time_machine.travel(when, tick=False):
        return record(None, action, message=action)


def test_purge_keeps_everything_younger_than_180_days(demo, settings):
    # Entries are written in time order (the demo's now, then these), as in real use: a
    # purge removes the oldest ones only, a prefix of the log.
    now = timezone.now() + timedelta(days=300)
    old = _entry_at(now - timedelta(days=200), "test.old")
    edge = _entry_at(now - timedelta(days=179), "test.edge")
    young = _entry_at(now - timedelta(days=1), "test.young")
    with time_machine.travel(now, tick=False):
        with pytest.raises(CommandError, match="不得少于 180 天"):
            call_command("purge_audit", "--days", "90")
        settings.AUDIT_RETENTION_DAYS = 180
        call_command("purge_audit", stdout=io.StringIO())
    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {edge.pk, young.pk} <= remaining
    purge = AuditEntry.objects.get(action="audit.purge")
    assert purge.changes["deleted"] >= 1
    # The trigger is back: nothing else can delete.
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [young.pk])


def test_retention_setting_below_180_days_is_refused(tmp_path):
    from tests.test_settings import load_settings

    result = load_settings(tmp_path, AUDIT_RETENTION_DAYS="30")
    assert result.returncode != 0 and "AUDIT_RETENTION_DAYS" in result.stderr


def test_auditor_filters_and_exports_csv_without_formulas(demo, personas, client):
    evil = User.objects.create_user("=cmd|' /C calc'!A0", password="x")
    record(evil, "account.update", evil, message="+SUM(A1:A2)", changes={"full_name":
                                                                          ["a", "-2+3"]})
    record(None, "test.other", message="@HYPERLINK")
    client.force_login(personas["auditor"])
    page = client.get(reverse("audit_log"), {"user": "=cmd"})
    assert "=cmd" in page.content.decode()
    response = client.get(reverse("audit_export"), {"user": "=cmd"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "时间"
    assert len(table) == 2  # the filter applies to the export
    for row in table:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=cmd|' /C calc'!A0" in table[1]
    assert "'+SUM(A1:A2)" in table[1]
    assert AuditEntry.objects.filter(action="audit.export", actor=personas["auditor"]).exists()
