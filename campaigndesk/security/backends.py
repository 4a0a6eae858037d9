from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout
from .addresses import client_address


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
        if lock is not None and not lockout.may_pass(lock, address):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and lock is not None:
            lockout.note_passed(lock, user, address)
        return user

    @staticmethod
    def user_model_username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
