"""The region administrator's pages for API tokens: list (with last use), create (the
secret is shown once, on the answer to the POST), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigndesk.units.permissions import Action, require

from . import tokens
from .forms import TokenForm
from .models import ApiToken


@require(Action.MANAGE_API_TOKENS)
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.create_token(request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    listed = ApiToken.objects.select_related("unit", "created_by", "revoked_by")
    return render(request, "api/tokens.html", {"form": form, "created": created,
                                               "tokens": listed})


@require(Action.MANAGE_API_TOKENS)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        tokens.revoke_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已吊销令牌“%(name)s”") % {"name": token.name})
    return redirect("api_tokens")
