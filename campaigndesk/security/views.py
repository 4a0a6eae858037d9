from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigndesk.audit.services import record
from campaigndesk.units.models import User
from campaigndesk.units.permissions import Action, login_only, require, resets_credentials

from . import lockout, otp, throttle
from .forms import EnrolForm, TokenForm
from .middleware import request_max_mb
from .models import AccountLock, AddressBlock, LoginAttempt


@require(Action.UNLOCK_ACCOUNTS)
def lock_list(request):
    active = AccountLock.objects.active()
    recent = AccountLock.objects.exclude(pk__in=active.values("pk"))[:50]
    blocks = AddressBlock.objects.active()
    failures = LoginAttempt.objects.filter(succeeded=False)[:50]
    # Each administrator resets the second factors of the accounts whose passwords it
    # resets (三权分立, units.permissions.manages_account).
    enrolled = User.objects.filter(
        pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id")).order_by(
        "username")
    second_factor = [account for account in enrolled
                     if resets_credentials(request.user, account)]
    return render(request, "security/locks.html", {
        "active": active, "recent": recent, "failures": failures, "blocks": blocks,
        "second_factor": second_factor,
    })


@login_only
def otp_reset(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    if not resets_credentials(request.user, user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    otp.reset(request.user, user)
    messages.success(request, _("已重置 %(username)s 的动态验证码，该账号下次登录时重新启用")
                     % {"username": user.username})
    return redirect("security_locks")


@require(Action.UNLOCK_ACCOUNTS)
@require_POST
def unlock(request, pk: int):
    lock = get_object_or_404(AccountLock, pk=pk)
    lockout.unlock(request.user, lock)
    messages.success(request, _("已解锁账号 %(username)s") % {"username": lock.username})
    return redirect("security_locks")


@require(Action.UNLOCK_ACCOUNTS)
@require_POST
def address_unlock(request, pk: int):
    block = get_object_or_404(AddressBlock, pk=pk)
    throttle.unlock(request.user, block)
    messages.success(request, _("已解除来源地址 %(source)s 的拦截") % {"source": block.source})
    return redirect("security_locks")


@require(Action.MANAGE_SECURITY)
def policy(request):
    """The security policy in force, read from the settings (changed by the operator)."""
    rows = [
        (_("登录失败锁定"), _("%(window)s 分钟内失败 %(failures)s 次，锁定 %(lock)s 分钟") % {
            "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
            "failures": settings.LOGIN_MAX_FAILURES,
            "lock": settings.LOGIN_LOCK_MINUTES}),
        (_("来源地址限速"), _(
            "同一地址 %(window)s 分钟内失败 %(slow)s 次后逐次延时（最长 1 分钟），"
            "失败涉及 %(accounts)s 个用户名即暂停该地址登录 %(lock)s 分钟；"
            "账号被其他地址锁定时，本人从未参与失败的地址以正确密码（及动态验证码）仍可登录") % {
            "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
            "slow": settings.LOGIN_ADDRESS_SLOW_AFTER,
            "accounts": settings.LOGIN_ADDRESS_MAX_ACCOUNTS,
            "lock": settings.LOGIN_LOCK_MINUTES}),
        (_("会话空闲超时"),
         _("%(minutes)s 分钟") % {"minutes": settings.SESSION_IDLE_SECONDS // 60}),
        (_("会话最长时间"), _("登录后 %(hours)s 小时") % {"hours": settings.SESSION_MAX_HOURS}),
        # From the validators in force, so the page cannot say other than what is checked.
        (_("密码复杂度"), "；".join(password_validators_help_texts())),
        (_("密码有效期"), _("%(days)s 天") % {"days": settings.PASSWORD_MAX_AGE_DAYS}
         if settings.PASSWORD_MAX_AGE_DAYS else _("不限")),
        (_("首次登录改密"), _("管理员设置或重置的密码，首次登录须修改")),
        (_("自治区账号动态验证码"),
         _("必须") if settings.OTP_REQUIRED_FOR_REGION else _("自愿启用")),
        (_("审计日志保存期限"), _("至少 %(days)s 天") % {"days": settings.AUDIT_RETENTION_DAYS}),
        (_("单次上传上限"),
         _("%(size)s MB") % {"size": request_max_mb()}),
    ]
    return render(request, "security/policy.html", {"rows": rows})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (update_session_auth_hash keeps this session, ends the others),
    plus an audit entry."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request.user, "auth.password_change", self.request.user,
               changes={"password": ["******", "******"]}, message="本人修改密码")
        return response


@login_only
def otp_setup(request):
    if not otp.may_enrol(request.user):
        messages.error(request, _("单位填报员账号不使用动态验证码"))
        return redirect("home")
    if otp.needs_verification(request) == "otp_verify":
        # The gate sends such a session here already; this view never relies on it alone.
        return redirect("otp_verify")
    replacing = otp.enrolled(request.user)
    device = otp.pending_device(request.user)
    form = EnrolForm(request.POST or None, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.enrol(request.user, device, form.cleaned_data["token"],
                              current=form.cleaned_data.get("current", ""))
        except otp.WrongCode as exc:
            form.add_error(exc.field, exc.message)
        else:
            device.refresh_from_db()
            otp.login_verified(request, device)
            messages.success(request, _("已更换动态验证码，原手机上的验证码不再有效") if replacing
                             else _("已启用动态验证码，以后每次登录都需输入"))
            request.session[RECOVERY_SESSION_KEY] = codes
            return redirect("otp_recovery")
    uri = otp.otpauth_uri(device)
    return render(request, "security/otp_setup.html", {
        "form": form, "secret": _base32(device), "uri": uri, "replacing": replacing,
        "qr": mark_safe(otp.qr_svg(uri)),  # noqa: S308 - segno's SVG: paths, no text
        "required": otp.required(request.user),
    })


RECOVERY_SESSION_KEY = "otp_recovery_codes"


@login_only
@require_http_methods(["GET", "POST"])
def otp_recovery(request):
    """The recovery codes, shown once right after they are made; new ones on request."""
    if not otp.enrolled(request.user):
        return redirect("otp_setup")
    if otp.needs_verification(request):
        return redirect("otp_verify")
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = otp.new_recovery_codes(request.user)
        return redirect("otp_recovery")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    return render(request, "security/otp_recovery.html", {
        "codes": codes, "left": otp.recovery_codes_left(request.user),
    })


@login_only
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.verify(request, form.cleaned_data["token"])
        except otp.Throttled as exc:
            form.add_error("token", exc.message)
            return render(request, "security/otp_verify.html", {"form": form}, status=429)
        if device is not None:
            if isinstance(device, StaticDevice):
                left = otp.recovery_codes_left(request.user)
                record(request.user, "auth.otp_recovery", request.user,
                       message=f"用恢复码登录，剩余 {left} 个")
                messages.warning(request, _(
                    "已用恢复码登录，还剩 %(left)s 个。手机丢失或更换时，请联系管理员重置动态验证码"
                ) % {"left": left})
            return redirect("home")
        record(request.user, "auth.otp_failed", request.user, message="动态验证码错误")
        form.add_error("token", _("动态验证码不正确"))
    return render(request, "security/otp_verify.html", {"form": form})


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii")
