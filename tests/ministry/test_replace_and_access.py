"""A newer package of the same province replaces the older one in one transaction (audited);
an older one is refused. The ministry's pages exist only where MINISTRY_MODE is on."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from campaigndesk.audit.models import AuditEntry
from campaigndesk.ministry.export import export_package
from campaigndesk.ministry.models import ProvincePackage, ProvincePhoto
from campaigndesk.ministry.services import import_package, thumb_path
from campaigndesk.progress.models import Report
from campaigndesk.units.models import User
from tests.jobs.helpers import download
from tests.test_reported_figures import at, submit

from .matrix import MINISTRY_MATRIX


def _export(client, campaign) -> bytes:
    return download(client, reverse("campaign_ministry", kwargs={"pk": campaign.pk}))


def test_a_newer_package_replaces_the_older_and_an_older_one_is_refused(
        year, personas, as_user, ministry_user, django_capture_on_commit_callbacks):
    reviewer = as_user(personas["reviewer"])
    first = _export(reviewer, year)
    old = import_package(ministry_user, first, file_name="第一版.zip")
    old_files = [p.path for p in ProvincePhoto.objects.all()] + [
        thumb_path(p) for p in ProvincePhoto.objects.all()]
    assert all(path.is_file() for path in old_files)
    # 包头市 sends its correction (D 5 → 500 participants, F 60 added), then a new package.
    submit(User.objects.get(username="150200"),
           Report.objects.get(unit__code="150200", status="reopened"), at(3, 26, 9))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        # The service the download runs (a session would have timed out meanwhile).
        second = export_package(personas["reviewer"], year)
    # The old package's files go once the replacement is committed.
    with django_capture_on_commit_callbacks(execute=True):
        new = import_package(ministry_user, second, file_name="第二版.zip")
    package = ProvincePackage.objects.get()
    assert package.pk == new.pk != old.pk
    assert package.participants == old.participants - 5 + 500 + 60
    assert package.activities == old.activities + 1
    assert not any(path.exists() for path in old_files)
    assert ProvincePhoto.objects.count() == 2
    entry = AuditEntry.objects.filter(action="ministry.import").latest("pk")
    assert entry.changes["replaced"] == old.sha256 and "替换" in entry.message
    # The first package again: older than what is there, refused, nothing changed.
    response = as_user(ministry_user).post(reverse("ministry_import"), {
        "package": _upload(first)})
    assert "不比它新，未导入" in response.content.decode()
    assert ProvincePackage.objects.get().pk == new.pk
    assert ProvincePackage.objects.get().participants == new.participants


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("旧包.zip", data, "application/zip")


def test_wrong_methods_on_the_ministry_pages(ministry_user, as_user, demo):
    from tests.ministry.matrix import package

    client = as_user(ministry_user)
    f = {"campaign": demo}
    User.objects.filter(pk=ministry_user.pk).update(username="ministry-staff")
    for name, (build, _allowed, method) in MINISTRY_MATRIX.items():
        if name == "campaign_ministry":
            continue
        package(f)
        response = client.generic(method, reverse(name, kwargs=build(f)))
        assert response.status_code == 405, name


def test_without_ministry_mode_the_pages_are_refused_and_the_role_not_offered(
        ministry_user, as_user, personas, settings):
    settings.MINISTRY_MODE = False
    client = as_user(ministry_user)
    for name in ("ministry_national", "ministry_import"):
        assert client.get(reverse(name)).status_code == 403
    form = as_user(personas["region_admin"]).get(reverse("account_create")).content.decode()
    assert "民政部工作人员" not in form
    settings.MINISTRY_MODE = True
    form = as_user(personas["region_admin"]).get(reverse("account_create")).content.decode()
    assert "民政部工作人员" in form


def test_the_ministry_lands_on_the_national_page(ministry_user, as_user):
    response = as_user(ministry_user).get(reverse("home"), follow=True)
    page = response.content.decode()
    assert "全国汇总" in page and "还没有导入任何省级材料包" in page
    assert 'id="nav-ministry-import"' in page
