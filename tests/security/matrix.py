"""The security rows of the URL × persona matrix (tests/test_permissions.py merges them).

Three-role separation: the system administrator (region_admin, superuser) manages accounts
and units, the security administrator locks and policies, the auditor the log only.
"""

from datetime import timedelta

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
SYSTEM_ADMIN = {"region_admin", "superuser"}
UNLOCKERS = SYSTEM_ADMIN | {"security_admin"}
WRITERS = {"region_admin", "superuser", "reporter"}


def lock(f):
    """A lock of the 150100 account, made once per test."""
    if "lock" not in f:
        from django.utils import timezone

        from campaigndesk.security.models import AccountLock

        f["lock"] = AccountLock.objects.create(
            username="150100", until=timezone.now() + timedelta(minutes=15), failures=5)
    return f["lock"]


def address_block(f):
    """A block of one source address, made once per test."""
    if "address_block" not in f:
        from django.utils import timezone

        from campaigndesk.security.models import AddressBlock

        f["address_block"] = AddressBlock.objects.create(
            source="203.0.113.66", until=timezone.now() + timedelta(minutes=15), failures=10,
            accounts=10)
    return f["address_block"]


def deleted_brief(f):
    """A brief of 150100 deleted by its unit, made once per test."""
    if "deleted_brief" not in f:
        from campaigndesk.articles import services
        from campaigndesk.units.models import User

        reporter = User.objects.get(username="150100")
        article = services.create_article(reporter, campaign=f["campaign"],
                                          unit=f["units"]["150100"], title="待删除的稿件",
                                          body="正文")
        f["deleted_brief"] = services.delete_article(reporter, article, reason="重复报送")
    return f["deleted_brief"]


def draft_brief(f):
    if "draft_brief" not in f:
        from campaigndesk.articles import services
        from campaigndesk.units.models import User

        reporter = User.objects.get(username="150100")
        f["draft_brief"] = services.create_article(
            reporter, campaign=f["campaign"], unit=f["units"]["150100"], title="草稿",
            body="正文")
    return f["draft_brief"]


def _reviewer_pk() -> int:
    from campaigndesk.units.models import User

    return User.objects.get(username="reviewer").pk


def _auditor_pk() -> int:
    from campaigndesk.units.models import User

    return User.objects.get(username="auditor").pk


SECURITY_MATRIX = {
    "audit_export": (lambda f: {}, {"auditor"}, None),
    "audit_chain": (lambda f: {}, {"auditor"}, None),
    "security_locks": (lambda f: {}, UNLOCKERS, None),
    "security_unlock": (lambda f: {"pk": lock(f).pk}, UNLOCKERS, "GET"),
    "security_address_unlock": (lambda f: {"pk": address_block(f).pk}, UNLOCKERS, "GET"),
    "security_policy": (lambda f: {}, {"security_admin"}, None),
    "otp_setup": (lambda f: {}, EVERYONE, None),
    "otp_verify": (lambda f: {}, EVERYONE, None),
    "otp_recovery": (lambda f: {}, EVERYONE, None),
    # Three-role separation: privileged roles are the security administrator's alone; an
    # ordinary account's second factor is reset by whoever resets its password.
    "otp_reset": (lambda f: {"pk": _reviewer_pk()}, SYSTEM_ADMIN, "GET"),
    "privileged_accounts": (lambda f: {}, {"security_admin"}, None),
    "privileged_revoke": (lambda f: {"pk": _auditor_pk()}, {"security_admin"}, "GET"),
    "article_delete": (lambda f: {"pk": draft_brief(f).pk}, WRITERS, "GET"),
    "deleted_articles": (lambda f: {}, SYSTEM_ADMIN, None),
    "article_restore": (lambda f: {"pk": deleted_brief(f).pk}, SYSTEM_ADMIN, "GET"),
}
