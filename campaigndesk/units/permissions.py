"""Every permission decision of the product is made here.

Views ask `allows(user, action, unit)` (or use `require` / `unit_or_404`); they never look
at roles themselves. A reporter's reach is their unit and the units that report to it; an
object of another unit is answered with 404 so that its existence is not revealed.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role, Unit


class Action(StrEnum):
    MANAGE_UNITS = "units.manage"
    MANAGE_ACCOUNTS = "accounts.manage"
    MANAGE_CAMPAIGNS = "campaigns.manage"
    CLOSE_CAMPAIGNS = "campaigns.close"
    VIEW_OVERVIEW = "campaigns.overview"
    READ_AUDIT = "audit.read"
    VIEW_UNIT = "unit.view"
    EDIT_UNIT_DATA = "unit.edit"
    REOPEN_REPORT = "reports.reopen"
    WRITE_ARTICLES = "articles.write"
    REVIEW_ARTICLES = "articles.review"
    UNLOCK_ACCOUNTS = "security.unlock"
    MANAGE_SECURITY = "security.manage"
    RESTORE_DELETED = "records.restore"
    REMIND_UNITS = "units.remind"
    # Giving or taking the auditor and security administrator roles, and resetting those
    # accounts' passwords and second factors (see `manages_account`, `may_give_role`).
    MANAGE_PRIVILEGED = "accounts.privileged"
    # Issue 16: the register of service places (社工站、社工室…), their posters and signage.
    EDIT_PLACES = "places.edit"
    # Issue 18: creating, listing and revoking the tokens of the REST API (campaigndesk.api).
    MANAGE_API_TOKENS = "api.tokens"
    # Issue 15: the department's mailbox (campaigndesk.intake): the intake inbox, naming the
    # unit of a mail from an unknown address, the units' registered sender addresses.
    SORT_MAIL = "intake.sort"
    # Issue 17 point 2: the region's package for 民政部 (briefs recommended, photos, the
    # province's figures, its summary), and at the ministry importing the provinces'
    # packages and reading the national page.
    EXPORT_MINISTRY_PACKAGE = "ministry.export"
    IMPORT_PROVINCE_PACKAGES = "ministry.import"
    VIEW_NATIONAL = "ministry.national"
    # Issue 17 point 1 (县 → 盟市 → 自治区): a bureau opens its part of the campaign to its
    # counties (members, earlier internal deadlines, county accounts) ...
    RUN_CASCADE = "cascade.run"
    # ... follows them (matrix, figures, workbook of its subtree; the region drills down) ...
    FOLLOW_CASCADE = "cascade.follow"
    # ... reminds the counties still missing (催报) ...
    REMIND_CASCADE = "cascade.remind"
    # ... and reviews their briefs before forwarding them to the region.
    REVIEW_CASCADE = "cascade.review"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.REGION_ADMIN: frozenset(
        {
            Action.MANAGE_UNITS,
            Action.MANAGE_ACCOUNTS,
            Action.MANAGE_CAMPAIGNS,
            # Issue 11 point 2: closing a campaign (read-only afterwards) and reopening it.
            Action.CLOSE_CAMPAIGNS,
            Action.VIEW_OVERVIEW,
            Action.VIEW_UNIT,
            Action.EDIT_UNIT_DATA,
            Action.REOPEN_REPORT,
            Action.WRITE_ARTICLES,
            Action.REVIEW_ARTICLES,
            Action.REMIND_UNITS,
            Action.EDIT_PLACES,
            # Issue 7 point 1: the region administrator may unlock a locked account too.
            Action.UNLOCK_ACCOUNTS,
            Action.RESTORE_DELETED,
            Action.MANAGE_API_TOKENS,
            Action.SORT_MAIL,
            Action.EXPORT_MINISTRY_PACKAGE,
            Action.FOLLOW_CASCADE,
        }
    ),
    Role.REVIEWER: frozenset({Action.VIEW_OVERVIEW, Action.VIEW_UNIT, Action.REVIEW_ARTICLES,
                              Action.REMIND_UNITS, Action.SORT_MAIL,
                              Action.EXPORT_MINISTRY_PACKAGE, Action.FOLLOW_CASCADE}),
    Role.REPORTER: frozenset({Action.VIEW_UNIT, Action.EDIT_UNIT_DATA, Action.WRITE_ARTICLES,
                              Action.EDIT_PLACES, Action.RUN_CASCADE, Action.FOLLOW_CASCADE,
                              Action.REMIND_CASCADE, Action.REVIEW_CASCADE}),
    Role.BUREAU_REVIEWER: frozenset({Action.VIEW_UNIT, Action.FOLLOW_CASCADE,
                                     Action.REMIND_CASCADE, Action.REVIEW_CASCADE}),
    Role.AUDITOR: frozenset({Action.READ_AUDIT}),
    # Three-role separation (等保 2.0 三权分立): the security administrator keeps locks,
    # policies, second factors and who holds the auditor and security administrator roles;
    # it neither manages the other accounts nor reads the audit log. The system
    # administrator can therefore never make itself, or a friend, the auditor.
    Role.SECURITY_ADMIN: frozenset({Action.UNLOCK_ACCOUNTS, Action.MANAGE_SECURITY,
                                    Action.MANAGE_PRIVILEGED}),
    Role.MINISTRY: frozenset({Action.IMPORT_PROVINCE_PACKAGES, Action.VIEW_NATIONAL}),
}

# Actions that exist only where the installation runs at the ministry (MINISTRY_MODE).
MINISTRY_ONLY = frozenset({Action.IMPORT_PROVINCE_PACKAGES, Action.VIEW_NATIONAL})

# The roles that check the system administrator; only the security administrator (or the
# operator at the command line) gives or takes them.
PRIVILEGED_ROLES = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})

# Actions whose reach a reporter has only inside their own part of the tree.
UNIT_SCOPED = {Action.VIEW_UNIT, Action.EDIT_UNIT_DATA, Action.WRITE_ARTICLES,
               Action.EDIT_PLACES}
# Roles bound to a unit, whose reach is that unit and the units under it.
UNIT_ROLES = {Role.REPORTER, Role.BUREAU_REVIEWER}
# A bureau's actions over its cascade: only a unit reporting straight to the region runs
# one, on itself (the review: on a unit under it, never on its own briefs).
BUREAU_SCOPED = {Action.RUN_CASCADE, Action.FOLLOW_CASCADE, Action.REMIND_CASCADE,
                 Action.REVIEW_CASCADE}


def allows(user, action: Action, unit: Unit | None = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # An account of a deactivated unit has no access (the log-in refuses it too).
    if user.unit_id is not None and not user.unit.is_active:
        return False
    # A superuser is the system administrator: the region administrator's actions, never
    # the auditor's or the security administrator's (three-role separation).
    role = Role.REGION_ADMIN if user.is_superuser else user.role
    if action not in ROLE_ACTIONS.get(role, frozenset()):
        return False
    if action in MINISTRY_ONLY and not settings.MINISTRY_MODE:
        return False
    if role in UNIT_ROLES and action in UNIT_SCOPED:
        if unit is None or user.unit is None:
            return False
        return user.unit.contains(unit)
    if role in UNIT_ROLES and action in BUREAU_SCOPED:
        if unit is None or user.unit is None or not user.unit.is_reporting:
            return False
        if action == Action.REVIEW_CASCADE:
            return user.unit.contains(unit) and unit.pk != user.unit_id
        return unit.pk == user.unit_id
    return True


def manages_account(user, account) -> bool:
    """Edit the account or reset its password or second factor: the system administrator
    for ordinary accounts (those without a role too), the security administrator for the
    auditor's and security administrators'. One rule for both resets: whoever may reset an
    account's second factor could take it over with a password reset too, and the other
    way round."""
    if account.role in PRIVILEGED_ROLES:
        return allows(user, Action.MANAGE_PRIVILEGED)
    return allows(user, Action.MANAGE_ACCOUNTS)


def resets_credentials(user, account) -> bool:
    """Reset the account's password or second factor without knowing them. Never one's own:
    whoever holds a session (left open, or taken over) could otherwise put their own phone
    or password on the account. One's own are changed by proving the old one (修改密码, or
    更换 with a code of the current phone); a lost phone is reset by another administrator."""
    return manages_account(user, account) and getattr(user, "pk", None) != account.pk


def may_give_role(user, account, role: str) -> bool:
    """Change `account`'s role to `role`: a change into or out of a privileged role is the
    security administrator's, any other the system administrator's."""
    if role in PRIVILEGED_ROLES or account.role in PRIVILEGED_ROLES:
        return allows(user, Action.MANAGE_PRIVILEGED)
    return allows(user, Action.MANAGE_ACCOUNTS)


def visible_units(user):
    """The units whose pages and data the user may see."""
    if allows(user, Action.VIEW_OVERVIEW) or allows(user, Action.MANAGE_UNITS):
        return Unit.objects.all()
    if getattr(user, "role", None) in UNIT_ROLES and user.unit is not None:
        return Unit.objects.under(user.unit)
    return Unit.objects.none()


def visible_campaigns(user):
    """The campaigns whose pages the user may open: every campaign for region users, the
    campaigns their unit takes part in for a reporter."""
    from campaigndesk.campaigns.models import Campaign

    if allows(user, Action.VIEW_OVERVIEW):
        return Campaign.objects.all()
    unit = getattr(user, "unit", None)
    if unit is not None and allows(user, Action.VIEW_UNIT, unit):
        return Campaign.objects.taking_part(unit)
    return Campaign.objects.none()


def require(action: Action) -> Callable:
    """View decorator for actions that do not depend on a unit."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allows(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def login_only(view):
    """For views that decide access themselves through `unit_or_404`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def unit_or_404(user, action: Action, **lookup) -> Unit:
    try:
        unit = Unit.objects.select_related("reports_to", "geo_parent").get(**lookup)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None
    if not allows(user, action, unit):
        if allows(user, Action.VIEW_UNIT, unit):
            raise PermissionDenied
        raise Http404
    return unit


def may_see_job(user, job, action: str) -> bool:
    """A background job (campaigndesk.jobs), its progress and its file: only the person who
    asked for it, and only while still allowed `action` on its unit (a reporter moved to
    another unit, or a region user who lost the role, no longer gets the file)."""
    return (getattr(user, "pk", None) is not None and job.requested_by_id == user.pk
            and allows(user, Action(action), job.unit))
