from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(user, "auth.login", user, message="登录成功")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, "auth.logout", user, message="退出登录")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record(None, "auth.login_failed", username=credentials.get("username", "")[:150],
           message="登录失败")
