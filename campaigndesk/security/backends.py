from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from campaigndesk.core.addresses import client_address

from . import lockout


class LockoutBackend(ModelBackend):
    """The model backend, refusing a locked user name whatever the password, except from an
    address that had no part in the lock (security.lockout.may_pass).

    PermissionDenied stops Django from trying further backends and sends
    user_login_failed, so the refused attempt is counted and audited like any failure.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.user_model_username_field(), None)
        lock = lockout.active_lock(username) if username else None
        address = client_address(request) if request is not None else ""
        pending = getattr(request, "login_attempt", None)
        if lock is not None and not lockout.may_pass(lock, address, pending=pending):
            raise PermissionDenied
        if username and lockout.refused_everywhere_but_known(username, address):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and lock is not None:
            lockout.note_passed(lock, user, address)
        return user

    def user_can_authenticate(self, user) -> bool:
        """Active accounts of active units only. Django asks this at log-in and again for
        the session on every request (get_user), so deactivating a unit ends its reporters'
        sessions at once (issue 12 point 13)."""
        if not super().user_can_authenticate(user):
            return False
        return user.unit_id is None or user.unit.is_active

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        # The unit comes along: user_can_authenticate and the permission layer read it.
        user = get_user_model()._default_manager.select_related("unit").filter(
            pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_model_username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
