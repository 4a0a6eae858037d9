import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError

from campaigndesk.audit.models import AuditEntry
from campaigndesk.units import accounts
from campaigndesk.units.models import Role, User


def test_admin_creates_a_reporter_from_the_web(personas, units, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/manage/accounts/new/", {
        "username": "150100-2", "full_name": "王芳", "role": Role.REPORTER,
        "unit": units["150100"].pk, "phone": "13800001234", "email": "",
        "password1": "Hohhot#2022a", "password2": "Hohhot#2022a",
    })
    assert response.status_code == 302
    user = User.objects.get(username="150100-2")
    assert user.unit == units["150100"]
    assert user.check_password("Hohhot#2022a")
    entry = AuditEntry.objects.filter(action="account.create").latest("id")
    assert entry.actor_username == "region-admin"
    assert entry.changes["unit"] == [None, "呼和浩特市"]
    assert "Hohhot#2022a" not in str(entry.changes)


def test_reporter_without_unit_is_refused_with_the_field_named(personas, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/manage/accounts/new/", {
        "username": "x1", "role": Role.REPORTER, "unit": "",
        "password1": "Hohhot#2022a", "password2": "Hohhot#2022a",
    })
    assert response.status_code == 200
    assert "单位填报员必须指定所属单位" in response.content.decode()
    assert not User.objects.filter(username="x1").exists()


def test_weak_or_mismatched_password_is_refused(personas, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/manage/accounts/new/", {
        "username": "x2", "role": Role.REVIEWER, "password1": "12345678", "password2": "12345678",
    })
    assert "密码" in response.content.decode()
    response = client.post("/manage/accounts/new/", {
        "username": "x2", "role": Role.REVIEWER, "password1": "Abcdef#2022",
        "password2": "Abcdef#2023",
    })
    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.filter(username="x2").exists()


def test_admin_resets_a_password_from_the_web_and_it_is_logged_masked(personas, as_user):
    client = as_user(personas["region_admin"])
    reporter = personas["reporter"]
    response = client.post(f"/manage/accounts/{reporter.pk}/password/", {
        "new_password1": "NewPass#2022x", "new_password2": "NewPass#2022x",
    })
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password("NewPass#2022x")
    entry = AuditEntry.objects.get(action="account.reset_password")
    assert "NewPass" not in str(entry.changes) + entry.message


def test_admin_deactivates_an_account(personas, as_user):
    client = as_user(personas["region_admin"])
    reporter = personas["reporter"]
    response = client.post(f"/manage/accounts/{reporter.pk}/edit/", {
        "full_name": reporter.full_name, "role": Role.REPORTER, "unit": reporter.unit_id,
        "phone": "", "email": "",
    })
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert not reporter.is_active


def test_passwords_use_djangos_default_hasher(settings):
    """The test run swaps in a fast hasher; the product itself keeps Django's default."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import make_password

    from campaigndesk import settings as project_settings

    assert not hasattr(project_settings, "PASSWORD_HASHERS")
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    assert identify_hasher(make_password("Abcdef#2022")).algorithm == "pbkdf2_sha256"


def test_non_reporter_cannot_be_bound_to_a_unit(personas, units):
    with pytest.raises(ValidationError):
        accounts.create_account(personas["region_admin"], username="aud2", password="Aud#2022xx",
                                role=Role.AUDITOR, unit=units["150100"])


def test_login_and_logout_in_chinese_are_audited(demo, client):
    page = client.get("/login/")
    assert "用户名" in page.content.decode() and "密码" in page.content.decode()
    bad = client.post("/login/", {"username": "150100", "password": "wrong"})
    assert "请输入一个正确的" in bad.content.decode()
    good = client.post("/login/", {"username": "150100", "password": "Demo#2022"})
    assert good.status_code == 302
    client.post("/logout/")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_username"))
    assert ("auth.login_failed", "150100") in actions
    assert ("auth.login", "150100") in actions
    assert ("auth.logout", "150100") in actions
