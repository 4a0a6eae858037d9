from campaigndesk.units.permissions import Action, allows, visible_campaigns


def navigation(request) -> dict:
    """What the top bar may offer this user; the views check again on every request.

    `campaigns` feeds the campaign switcher; it is a callable so that the query runs only
    when a page with the top bar is rendered (base.html reads it once, with `with`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from campaigndesk.articles.models import Notice
    from campaigndesk.guide.pages import page_for

    return {
        # 通知 (N): on-site notices not read yet, the user's own and their unit's.
        "unread_notices": Notice.objects.for_user(user).unread().count(),
        "nav": {
            "overview": allows(user, Action.VIEW_OVERVIEW),
            "units": allows(user, Action.MANAGE_UNITS),
            "accounts": allows(user, Action.MANAGE_ACCOUNTS),
            # Briefs: reviewing them, or writing them for one's own unit.
            "review": allows(user, Action.REVIEW_ARTICLES),
            "articles": allows(user, Action.REVIEW_ARTICLES) or (
                user.unit_id is not None and allows(user, Action.WRITE_ARTICLES, user.unit)),
            "audit": allows(user, Action.READ_AUDIT),
            "locks": allows(user, Action.UNLOCK_ACCOUNTS),
            "security": allows(user, Action.MANAGE_SECURITY),
            "privileged": allows(user, Action.MANAGE_PRIVILEGED),
            "trash": allows(user, Action.RESTORE_DELETED),
            # 邮件报送: the intake inbox of the department's mailbox (campaigndesk.intake).
            "mail": allows(user, Action.SORT_MAIL),
            # At the ministry: the provinces' packages and the national page (issue 17).
            "national": allows(user, Action.VIEW_NATIONAL),
            "ministry_import": allows(user, Action.IMPORT_PROVINCE_PACKAGES),
            # 使用说明: the URL name of the reader's role page (campaigndesk.guide).
            "help": page_for(user),
            "places": allows(user, Action.VIEW_OVERVIEW) or (
                user.unit_id is not None and allows(user, Action.VIEW_UNIT, user.unit)),
            "campaigns": lambda: list(
                visible_campaigns(user).only("pk", "title", "year", "closed_at")
                .order_by("-start_date", "-pk")),
        },
    }
