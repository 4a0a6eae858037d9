"""Which help page belongs to whom. Kept apart from the views so that the top bar's context
processor can ask without loading them."""

from django.utils.translation import gettext_lazy as _

from campaigndesk.units.permissions import Action, allows

# (URL name, title) of the role pages, in the order of the pages' tabs.
ROLE_PAGES = [
    ("help_reporter", _("单位填报员")),
    ("help_reviewer", _("自治区审核员")),
    ("help_admin", _("自治区管理员")),
]


def page_for(user) -> str:
    """The URL name of the help page the top bar's 使用说明 opens for this user: their
    role's page, or the general one for roles without a page (auditor, security
    administrator, an account without a role)."""
    if allows(user, Action.MANAGE_CAMPAIGNS):
        return "help_admin"
    if allows(user, Action.REVIEW_ARTICLES):
        return "help_reviewer"
    if getattr(user, "unit_id", None) is not None and allows(user, Action.EDIT_UNIT_DATA,
                                                               user.unit):
        return "help_reporter"
    return "help"
