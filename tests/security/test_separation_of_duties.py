"""Issue 12 point 7: region-admin gave an account the auditor role and read the log with it,
reset the auditor's password and logged in as the auditor, and reset anyone's second factor.
Role changes into or out of auditor and security administrator, and password and second
factor resets of those accounts, are the security administrator's (and the operator's at
the command line); the audit shows who did it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.models import AuditEntry
from campaigndesk.demo import DEMO_PASSWORD
from campaigndesk.units import accounts
from campaigndesk.units.models import Role, User
from tests.security.test_otp import enrol

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Taken#Over2026"


def edit_form(user, **changes) -> dict:
    data = {"full_name": user.full_name, "role": user.role, "unit": user.unit_id or "",
            "phone": user.phone, "email": user.email, "is_active": "on",
            "version": user.version}
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["region_admin", "superuser"])
def test_the_system_administrator_cannot_make_an_auditor(personas, client, persona):
    client.force_login(personas[persona])
    reviewer = personas["reviewer"]
    response = client.post(reverse("account_edit", kwargs={"pk": reviewer.pk}),
                           edit_form(reviewer, role=Role.AUDITOR))
    assert response.status_code == 200
    reviewer.refresh_from_db()
    assert reviewer.role == Role.REVIEWER
    response = client.post(reverse("account_create"), {
        "username": "friend", "role": Role.AUDITOR, "password1": "Friend#Pass2026x",
        "password2": "Friend#Pass2026x"})
    assert response.status_code == 200 and not User.objects.filter(username="friend").exists()
    with pytest.raises(ValidationError, match="只能由安全管理员"):
        accounts.update_account(personas[persona], reviewer, role=Role.SECURITY_ADMIN)
    assert not AuditEntry.objects.filter(action__in=["account.update", "account.create"],
                                         actor=personas[persona]).exists()


@pytest.mark.parametrize("target", ["auditor", "security_admin"])
def test_the_system_administrator_cannot_take_over_a_privileged_account(personas, client,
                                                                         target):
    account = personas[target]
    client.force_login(personas["region_admin"])
    password_url = reverse("account_password", kwargs={"pk": account.pk})
    assert client.get(password_url).status_code == 403
    response = client.post(password_url, {"new_password1": NEW_PASSWORD,
                                          "new_password2": NEW_PASSWORD})
    assert response.status_code == 403
    edit_url = reverse("account_edit", kwargs={"pk": account.pk})
    assert client.post(edit_url, edit_form(account, role=Role.REVIEWER)).status_code == 403
    with pytest.raises(PermissionDenied):
        accounts.reset_password(personas["region_admin"], account, NEW_PASSWORD)
    account.refresh_from_db()
    assert account.role == target and account.check_password(DEMO_PASSWORD)
    # And so cannot log in as the auditor.
    thief = Client()
    thief.post(reverse("login"), {"username": account.username, "password": NEW_PASSWORD})
    assert "_auth_user_id" not in thief.session
    assert "由安全管理员管理" in client.get(reverse("account_list")).content.decode()


def test_a_second_factor_is_reset_by_whoever_resets_the_password(demo, personas, client):
    """One rule for both resets (units.permissions.manages_account): the system
    administrator for ordinary accounts, the security administrator for privileged ones."""
    for name in ("reviewer", "auditor"):
        client.post(reverse("login"), {"username": name, "password": DEMO_PASSWORD})
        enrol(client, personas[name])
        client.logout()
    reviewer_reset = reverse("otp_reset", kwargs={"pk": personas["reviewer"].pk})
    auditor_reset = reverse("otp_reset", kwargs={"pk": personas["auditor"].pk})
    for persona in ("region_admin", "superuser"):
        client.force_login(personas[persona])
        assert client.post(auditor_reset).status_code == 403
        listed = client.get(reverse("security_locks")).content.decode()
        assert "auditor" not in listed.split('id="second-factor"')[1].split("</table>")[0]
    client.force_login(personas["security_admin"])
    assert client.post(reviewer_reset).status_code == 403
    assert TOTPDevice.objects.filter(user=personas["reviewer"], confirmed=True).exists()
    client.post(auditor_reset)
    assert not TOTPDevice.objects.filter(user=personas["auditor"]).exists()
    assert AuditEntry.objects.get(action="security.otp_reset").actor == personas["security_admin"]
    client.force_login(personas["region_admin"])
    client.post(reviewer_reset)
    assert not TOTPDevice.objects.filter(user=personas["reviewer"]).exists()
    assert AuditEntry.objects.filter(action="security.otp_reset",
                                     actor=personas["region_admin"]).exists()


@pytest.mark.parametrize("persona", ["region_admin", "security_admin"])
def test_no_administrator_resets_their_own_second_factor_or_password(demo, personas, client,
                                                                    persona):
    # region-admin's own account was listed under 重置动态验证码: a session left open (or
    # taken over) could remove the owner's phone without any code and enrol its own.
    admin = personas[persona]
    client.post(reverse("login"), {"username": admin.username, "password": DEMO_PASSWORD})
    enrol(client, admin)
    listed = client.get(reverse("security_locks")).content.decode()
    assert reverse("otp_reset", kwargs={"pk": admin.pk}) not in listed
    assert client.post(reverse("otp_reset", kwargs={"pk": admin.pk})).status_code == 403
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    password_url = reverse("account_password", kwargs={"pk": admin.pk})
    assert client.post(password_url, {"new_password1": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD}).status_code == 403
    admin.refresh_from_db()
    assert admin.check_password(DEMO_PASSWORD)
    assert not AuditEntry.objects.filter(action__in=["security.otp_reset",
                                                     "account.reset_password"]).exists()


def test_the_security_administrator_gives_and_takes_the_auditor_role(personas, client):
    admin, security = personas["region_admin"], personas["security_admin"]
    client.force_login(admin)
    response = client.post(reverse("account_create"), {
        "username": "auditor2", "role": "", "password1": "Second#Audit2026",
        "password2": "Second#Audit2026"})
    assert response.status_code == 302
    newcomer = User.objects.get(username="auditor2")
    assert newcomer.role == ""
    client.force_login(security)
    response = client.post(reverse("privileged_accounts"),
                           {"username": "Auditor2", "role": Role.AUDITOR})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.role == Role.AUDITOR
    entry = AuditEntry.objects.get(action="account.privileged_role")
    assert entry.actor == security and entry.changes["role"] == ["", Role.AUDITOR]
    # Its password is the security administrator's to reset now, not the system's.
    url = reverse("account_password", kwargs={"pk": newcomer.pk})
    assert client.post(url, {"new_password1": "Reset#Audit2026x",
                             "new_password2": "Reset#Audit2026x"}).status_code == 302
    assert AuditEntry.objects.filter(action="account.reset_password").latest("id").actor == \
        security
    reporter_url = reverse("account_password", kwargs={"pk": personas["reporter"].pk})
    assert client.get(reporter_url).status_code == 403
    client.post(reverse("privileged_revoke", kwargs={"pk": newcomer.pk}))
    newcomer.refresh_from_db()
    assert newcomer.role == ""
    assert AuditEntry.objects.filter(action="account.privileged_role").count() == 2


def test_the_operator_sets_privileged_roles_from_the_command_line(personas, monkeypatch,
                                                                   capsys):
    reviewer = personas["reviewer"]
    call_command("privileged", "reviewer", "--role", "security_admin")
    reviewer.refresh_from_db()
    assert reviewer.role == Role.SECURITY_ADMIN
    entry = AuditEntry.objects.get(action="account.privileged_role")
    assert entry.actor is None and entry.actor_username.startswith("命令行：")
    assert entry.address == "命令行"
    monkeypatch.setattr("sys.stdin", io.StringIO("Operator#Set2026\n"))
    call_command("privileged", "auditor", "--reset-password", "--reset-second-factor")
    auditor = User.objects.get(username="auditor")
    assert auditor.check_password("Operator#Set2026") and auditor.must_change_password
    assert AuditEntry.objects.get(action="account.reset_password").actor_username.startswith(
        "命令行：")
    assert AuditEntry.objects.filter(action="security.otp_reset").exists()
    with pytest.raises(CommandError, match="超级用户"):
        call_command("privileged", "root", "--role", "auditor")
    assert "的角色：安全管理员" in capsys.readouterr().out


def _grant(client, username, role):
    return client.post(reverse("privileged_accounts"), {"username": username, "role": role})


def test_the_security_administrator_grants_only_accounts_without_a_role(personas, client):
    """Issue 12 second pass: the security administrator made region-admin the auditor, reset
    its password and so read the log as a region administrator."""
    client.force_login(personas["security_admin"])
    for name in ("region_admin", "reviewer", "reporter"):
        account = personas[name]
        before = account.role
        response = _grant(client, account.username, Role.AUDITOR)
        assert response.status_code == 200
        assert "只能授予无角色的账号" in response.content.decode()
        account.refresh_from_db()
        assert account.role == before
    assert AuditEntry.objects.filter(action="access.denied", actor=personas["security_admin"],
                                     message__contains="拒绝更改特权角色").count() == 3
    assert not AuditEntry.objects.filter(action="account.privileged_role").exists()


@pytest.mark.parametrize("target", ["region_admin", "reviewer", "reporter", "no_role"])
def test_the_security_administrator_resets_no_ordinary_password(personas, client, target):
    account = personas[target]
    client.force_login(personas["security_admin"])
    response = client.post(reverse("account_password", kwargs={"pk": account.pk}),
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 403
    account.refresh_from_db()
    assert not account.check_password(NEW_PASSWORD)


def test_the_last_security_administrator_stays(personas, client):
    security = personas["security_admin"]
    client.force_login(security)
    response = _grant(client, security.username, Role.AUDITOR)
    assert "不能更改本人的角色" in response.content.decode()
    response = client.post(reverse("privileged_revoke", kwargs={"pk": security.pk}),
                           follow=True)
    assert "不能更改本人的角色" in response.content.decode()
    security.refresh_from_db()
    assert security.role == Role.SECURITY_ADMIN
    # Another security administrator cannot take the role of the last one either.
    second = User.objects.create_user("security2", password=DEMO_PASSWORD,
                                      role=Role.SECURITY_ADMIN)
    client.force_login(second)
    client.post(reverse("privileged_revoke", kwargs={"pk": security.pk}))
    security.refresh_from_db()
    assert security.role == ""  # two of them: one may go
    second.refresh_from_db()
    assert second.role == Role.SECURITY_ADMIN
    # Nor the operator at the command line.
    with pytest.raises(CommandError, match="唯一的安全管理员"):
        call_command("privileged", "security2", "--role", "none")
    second.refresh_from_db()
    assert second.role == Role.SECURITY_ADMIN
    assert AuditEntry.objects.filter(action="access.denied",
                                     message__contains="唯一的安全管理员").exists()
