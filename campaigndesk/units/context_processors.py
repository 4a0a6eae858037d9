from django.conf import settings

from .permissions import Action, allows


def navigation(request) -> dict:
    """What the top bar may offer this user; the views check again on every request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_MODE}
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav": {
            "overview": allows(user, Action.VIEW_OVERVIEW),
            "units": allows(user, Action.MANAGE_UNITS),
            "accounts": allows(user, Action.MANAGE_ACCOUNTS),
            "campaigns": allows(user, Action.MANAGE_CAMPAIGNS),
            "audit": allows(user, Action.READ_AUDIT),
            "locks": allows(user, Action.UNLOCK_ACCOUNTS),
            "security": allows(user, Action.MANAGE_SECURITY),
            "trash": allows(user, Action.RESTORE_DELETED),
        },
    }
