from django.conf import settings
from django.contrib.auth import views as auth_views

from campaigndesk.demo import DEMO_LOGINS, DEMO_PASSWORD
from campaigndesk.security.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    # Says when a user name is locked (campaigndesk.security.lockout).
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo's well-known logins are shown only when demo mode is on.
        context["demo_logins"] = DEMO_LOGINS if settings.DEMO_MODE else []
        context["demo_password"] = DEMO_PASSWORD
        return context
