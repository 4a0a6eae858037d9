from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils import timezone

from campaigndesk.core.addresses import client_address
from campaigndesk.demo import DEMO_LOGINS, DEMO_PASSWORD
from campaigndesk.security import throttle
from campaigndesk.security.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    # Says when a user name is locked (campaigndesk.security.lockout).
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        # The address throttle answers before any password is checked (security.throttle).
        # The attempt is stored first and counted as a failure until it succeeds, so that
        # parallel requests see each other: only the first ones get their password checked.
        address = client_address(request)
        request.login_attempt, refused = throttle.reserve(
            request.POST.get("username", ""), address, timezone.now())
        if refused is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form_class()(request, initial={
            "username": request.POST.get("username", "")[:150]})
        response = self.render_to_response(
            self.get_context_data(form=form, refusal=refused.message), status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo's well-known logins are shown only when demo mode is on.
        context["demo_logins"] = DEMO_LOGINS if settings.DEMO_MODE else []
        context["demo_password"] = DEMO_PASSWORD
        return context
