"""The mail intake's rows of the URL × persona matrix (tests/test_permissions.py merges
them). Walked on a mail of 呼和浩特市 (150100) holding its table, made on first use without
a mail server, and one registered sender address."""

REGION = {"region_admin", "reviewer", "superuser"}
ADMIN = {"region_admin", "superuser"}
READERS = REGION | {"reporter"}


def mail(f):
    if "mail" not in f:
        from django.utils import timezone

        from campaigndesk.intake import filing, storage
        from campaigndesk.intake.models import (
            AttachmentKind,
            AttachmentState,
            MailAttachment,
            MailMessage,
            MessageState,
            UnitSource,
        )
        from tests.intake.conftest import beijing, table

        message = MailMessage.objects.create(
            message_id="<matrix@example.cn>", claimed_at=timezone.now(),
            received_at=beijing(3, 24, 10), sender="hhht-mz@example.cn", subject="进展报送",
            state=MessageState.FILED, unit=f["units"]["150100"], unit_source=UnitSource.ADDRESS)
        key, digest = storage.store(table("甲"))
        attachment = MailAttachment(message=message, position=1, filename="统计表.xlsx",
                                    kind=AttachmentKind.TABLE, state=AttachmentState.PENDING,
                                    key=key, sha256=digest)
        filing.place(attachment, message)
        attachment.save()
        f["mail"], f["attachment"] = message, attachment
    return f["mail"]


def attachment(f):
    mail(f)
    return {"pk": f["attachment"].pk}


def address(f):
    if "address" not in f:
        from campaigndesk.intake.models import UnitMailAddress

        f["address"] = UnitMailAddress.objects.create(unit=f["units"]["150100"],
                                                      address="hhht-mz@example.cn")
    return {"pk": f["address"].pk}


INTAKE_MATRIX = {
    "intake_inbox": (lambda f: {}, REGION, "POST"),
    # 立即收取: a background job started by a POST.
    "intake_fetch": (lambda f: {}, REGION, "GET"),
    "intake_message": (lambda f: {"pk": mail(f).pk}, READERS, "POST"),
    # POST only: the region sorts the mailbox (reviewers too), nobody else.
    "intake_assign": (lambda f: {"pk": mail(f).pk}, REGION, "GET"),
    "intake_dismiss": (lambda f: {"pk": mail(f).pk}, REGION, "GET"),
    "intake_attachment": (attachment, READERS, "POST"),
    # Confirming reports for the unit: its reporter or a region administrator on its behalf.
    "intake_confirm": (attachment, ADMIN | {"reporter"}, "GET"),
    "intake_discard": (attachment, READERS, "GET"),
    "intake_file": (attachment, READERS, "POST"),
    "intake_addresses": (lambda f: {}, REGION, "PUT"),
    "intake_address_remove": (address, REGION, "GET"),
    "unit_mail": (lambda f: {"code": "150100"}, READERS, "POST"),
}
