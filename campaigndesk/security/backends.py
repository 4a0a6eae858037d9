from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import active_lock


class LockoutBackend(ModelBackend):
    """The model backend, refusing a locked user name whatever the password.

    PermissionDenied stops Django from trying further backends and sends
    user_login_failed, so the refused attempt is counted and audited like any failure.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.user_model_username_field(), None)
        if username and active_lock(username) is not None:
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def user_model_username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
