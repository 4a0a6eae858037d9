import pytest
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction

from campaigndesk.audit.models import AuditEntry
from campaigndesk.audit.services import mask
from campaigndesk.units import services
from campaigndesk.units.models import Unit


def test_a_change_from_the_web_records_who_what_when_and_from_where(personas, as_user):
    client = as_user(personas["region_admin"])
    unit = Unit.objects.get(code="150300")
    client.post(f"/manage/units/{unit.pk}/active/", {"active": "0"},
                REMOTE_ADDR="10.15.0.7")
    entry = AuditEntry.objects.filter(action="unit.update").latest("id")
    assert entry.actor_username == "region-admin"
    assert entry.address == "10.15.0.7"
    assert entry.object_repr == "乌海市"
    assert entry.changes == {"is_active": [True, False]}
    assert entry.at is not None


def test_audit_entries_cannot_be_changed_or_deleted_through_the_code(demo):
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.message = "改写"
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(message="x")


def test_the_database_itself_refuses_update_and_delete(demo):
    entry_id = AuditEntry.objects.first().pk
    for sql in (
        "UPDATE audit_auditentry SET message = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises((IntegrityError, InternalError, OperationalError)):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry_id])
    assert AuditEntry.objects.filter(pk=entry_id).exists()


def test_passwords_and_tokens_are_masked():
    assert mask({"password": "x", "api_token": "y", "name": "z"}) == {
        "password": "******", "api_token": "******", "name": "z"}


def test_failed_change_leaves_no_entry_and_no_half_write(personas, units):
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017  (the validation error itself is tested elsewhere)
        services.update_unit(personas["region_admin"], units["150100"], name="")
    assert AuditEntry.objects.count() == before
    assert Unit.objects.get(code="150100").name == "呼和浩特市"


def test_auditor_filters_the_log_on_the_web(personas, as_user, units):
    services.deactivate_unit(personas["region_admin"], units["150300"])
    client = as_user(personas["auditor"])
    page = client.get("/audit/", {"action": "unit.update", "user": "region-admin"})
    assert page.status_code == 200
    entries = list(page.context["page"])
    assert entries and all(e.action == "unit.update" for e in entries)
    partial = client.get("/audit/", {"action": "unit.update"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    table = partial.content.decode()
    assert "乌海市" in table
    assert "修改单位" in table and "启用</b>：是 → 否" in table
    empty = client.get("/audit/", {"date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert "没有符合条件的记录" in empty.content.decode()
