"""The 邮件报送 pages without a mail server: a mail as fetch_mail files it, set aside,
dismissed, and the register of the units' sender addresses."""

from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.intake.models import AttachmentState, MessageState, UnitMailAddress

from .matrix import mail


def test_a_unit_sets_a_mailed_table_aside_and_it_leaves_the_waiting_list(demo, units, personas,
                                                                         client, stored):
    f = {"units": units}
    mail(f)
    client.force_login(personas["reporter"])
    client.post(reverse("intake_discard", kwargs={"pk": f["attachment"].pk}),
                {"reason": "发错了，以第二封为准"})
    f["attachment"].refresh_from_db()
    assert (f["attachment"].state, f["attachment"].note) == (AttachmentState.DISCARDED,
                                                             "发错了，以第二封为准")
    page = client.get(reverse("unit_mail", kwargs={"code": "150100"})).content.decode()
    assert "待确认（0）" in page and "不予采用" in page
    assert AuditEntry.objects.filter(action="intake.discard", actor=personas["reporter"]).exists()
    again = client.post(reverse("intake_confirm", kwargs={"pk": f["attachment"].pk}),
                        {"reporter_name": "王芳", "reporter_phone": "13800001234"}, follow=True)
    assert "已处理（不予采用）" in again.content.decode()


def test_a_region_user_dismisses_a_mail_that_is_no_submission(demo, units, personas, client,
                                                               stored):
    f = {"units": units}
    message = mail(f)
    client.force_login(personas["reviewer"])
    empty = client.post(reverse("intake_dismiss", kwargs={"pk": message.pk}), {"reason": " "},
                        follow=True)
    assert "请填写不予处理的原因" in empty.content.decode()
    client.post(reverse("intake_dismiss", kwargs={"pk": message.pk}), {"reason": "其他业务来信"})
    message.refresh_from_db()
    f["attachment"].refresh_from_db()
    assert message.state == MessageState.DISMISSED
    assert f["attachment"].state == AttachmentState.DISCARDED
    assert AuditEntry.objects.get(action="intake.dismiss").message == "其他业务来信"


def test_the_register_of_sender_addresses(demo, personas, client):
    client.force_login(personas["region_admin"])
    url = reverse("intake_addresses")
    wrong = client.post(url, {"unit": "150100", "address": "不是邮箱"})
    assert wrong.status_code == 400 and "“不是邮箱”不是电子邮箱地址" in wrong.content.decode()
    client.post(url, {"unit": "150100", "address": " HHHT-MZ@Example.cn ", "note": "办公室"})
    client.post(url, {"unit": "150200", "address": "hhht-mz@example.cn"})
    page = client.get(url).content.decode()
    assert page.count("hhht-mz@example.cn") == 2 and "登记给多个单位" in page
    row = UnitMailAddress.objects.get(unit__code="150200")
    client.post(reverse("intake_address_remove", kwargs={"pk": row.pk}))
    assert list(UnitMailAddress.objects.values_list("unit__code", "address", "note")) == [
        ("150100", "hhht-mz@example.cn", "办公室")]
    actions = list(AuditEntry.objects.filter(action__startswith="intake.address")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["intake.address_add", "intake.address_add", "intake.address_remove"]


def test_a_backup_knows_the_mailed_files(demo, units, stored):
    from django.apps import apps

    f = {"units": units}
    mail(f)
    ((what, path),) = apps.get_app_config("intake").stored_files()
    assert what == "邮件附件 统计表.xlsx" and path.is_file()
    assert path.parent == stored / "imports" / "mail"  # a folder `backup` copies


def test_the_unit_list_offers_the_candidates_then_the_bureaus_first(demo, personas, client):
    from campaigndesk.intake.views import _units

    order = [u.code for u in _units(first=["150300", "150200"])]
    assert order[:2] == ["150200", "150300"]  # the units the shared address is for
    bureaus = order[2:14]
    assert all(len(code) == 6 and code.endswith("00") or code in {"150781", "152501"}
               for code in bureaus)
    assert {"150781", "152501"} <= set(order[:14])
