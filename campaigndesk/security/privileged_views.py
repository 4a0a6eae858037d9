"""The security administrator's page for who holds the auditor and security administrator
roles (三权分立: the system administrator cannot give them, so cannot audit itself)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigndesk.units import accounts
from campaigndesk.units.models import User
from campaigndesk.units.permissions import PRIVILEGED_ROLES, Action, require

from .forms import GrantRoleForm


@require(Action.MANAGE_PRIVILEGED)
@require_http_methods(["GET", "POST"])
def privileged_accounts(request):
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["username"]
        try:
            accounts.set_privileged_role(request.user, account, form.cleaned_data["role"])
        except ValidationError as exc:
            form.add_error("role", exc.messages)
        else:
            messages.success(request, _("已授予 %(username)s 角色") % {
                "username": account.username})
            return redirect("privileged_accounts")
    holders = User.objects.filter(role__in=PRIVILEGED_ROLES).order_by("role", "username")
    return render(request, "security/privileged.html", {"form": form, "holders": holders})


@require(Action.MANAGE_PRIVILEGED)
@require_POST
def privileged_revoke(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    try:
        accounts.set_privileged_role(request.user, account, "")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销 %(username)s 的角色，该账号暂无角色") % {
            "username": account.username})
    return redirect("privileged_accounts")
