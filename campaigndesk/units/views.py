from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigndesk.core.concurrency import EditConflict, show_conflict
from campaigndesk.core.textforms import checks_text, say_removed

from . import accounts, services
from .forms import AccountCreateForm, AccountEditForm, UnitForm
from .models import Role, Unit, User
from .permissions import (
    PRIVILEGED_ROLES,
    Action,
    login_only,
    manages_account,
    require,
    resets_credentials,
)


def _form_errors_from(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require(Action.MANAGE_UNITS)
def unit_list(request):
    units = Unit.objects.select_related("geo_parent", "reports_to").order_by("report_path")
    rows = [(unit, unit.report_path.count("/") - 2) for unit in units]
    return render(request, "units/unit_list.html", {"rows": rows})


@checks_text
@require(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            unit = services.create_unit(request.user, **fields)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("已新增单位“%(name)s”") % {"name": unit.name})
            say_removed(request, form.invisible_removed)
            return redirect("unit_list")
    return render(request, "units/unit_form.html", {"form": form, "title": _("新增单位")})


@checks_text
@require(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, initial=UnitForm.initial_for(unit))
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version", None)
        try:
            services.update_unit(request.user, unit, expected_version=version, **fields)
        except EditConflict as exc:
            # The user's input stays on screen; saving again overwrites deliberately.
            show_conflict(form, exc)
            status = 409
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            name = form.cleaned_data["name"]
            messages.success(request, _("已保存单位“%(name)s”") % {"name": name})
            say_removed(request, form.invisible_removed)
            return redirect("unit_list")
    title = _("修改：%(unit)s") % {"unit": unit}
    return render(
        request, "units/unit_form.html", {"form": form, "unit": unit, "title": title},
        status=status,
    )


@require(Action.MANAGE_UNITS)
@require_POST
def unit_delete(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.delete_unit(request.user, unit)
    except services.UnitInUse as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除单位“%(name)s”") % {"name": unit.name})
    return redirect("unit_list")


@require(Action.MANAGE_UNITS)
@require_POST
def unit_deactivate(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    active = request.POST.get("active") == "1"
    services.update_unit(request.user, unit, is_active=active)
    if active:
        messages.success(request, _("已启用单位“%(name)s”") % {"name": unit.name})
    else:
        messages.success(request, _("已停用单位“%(name)s”") % {"name": unit.name})
    return redirect("unit_list")


@require(Action.MANAGE_ACCOUNTS)
def account_list(request):
    users = User.objects.select_related("unit").order_by("role", "username")
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    rows = [(account, manages_account(request.user, account),
             resets_credentials(request.user, account)) for account in users]
    return render(
        request, "units/account_list.html", {"rows": rows, "roles": Role.choices, "role": role}
    )


@require(Action.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.create_account(
                request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                unit=data["unit"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("已创建账号 %(username)s") % {"username": user.username})
            return redirect("account_list")
    return render(request, "units/account_form.html", {"form": form, "title": _("新建账号")})


@require(Action.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    if not manages_account(request.user, user):
        raise PermissionDenied  # the auditor's and security administrators' accounts
    initial = {
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit_id,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        "version": user.version,
    }
    form = AccountEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version", None)
        try:
            accounts.update_account(request.user, user, expected_version=version, **fields)
        except EditConflict as exc:
            show_conflict(form, exc)
            status = 409
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("已保存账号 %(username)s") % {"username": user.username})
            return redirect("account_list")
    return render(
        request,
        "units/account_form.html",
        {"form": form, "account": user,
         "title": _("修改账号：%(username)s") % {"username": user.username}},
        status=status,
    )


@login_only
@require_http_methods(["GET", "POST"])
def account_password(request, pk: int):
    """The system administrator for ordinary accounts, the security administrator for the
    auditor's and security administrators' (units.permissions.manages_account)."""
    user = get_object_or_404(User, pk=pk)
    if not resets_credentials(request.user, user):
        raise PermissionDenied
    back = "privileged_accounts" if user.role in PRIVILEGED_ROLES else "account_list"
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.reset_password(request.user, user, form.cleaned_data["new_password1"])
        messages.success(request, _("已重置 %(username)s 的密码") % {"username": user.username})
        return redirect(back)
    return render(
        request,
        "units/account_form.html",
        {"form": form, "account": user, "back": back,
         "title": _("重置密码：%(username)s") % {"username": user.username}},
    )
