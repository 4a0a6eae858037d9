from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigndesk.audit import export as audit_export
from campaigndesk.audit import views as audit_views
from campaigndesk.campaigns import views as campaign_views
from campaigndesk.progress import views as progress_views
from campaigndesk.security import privileged_views
from campaigndesk.security import views as security_views
from campaigndesk.units import views as unit_views

from .api.api import api
from .auth_views import LoginView

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_overview, name="campaign_overview"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/copy/", campaign_views.campaign_copy, name="campaign_copy"),
    path("campaigns/<int:pk>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/reopen/", campaign_views.campaign_reopen, name="campaign_reopen"),
    # Every page of a unit's work carries its campaign; the old addresses without it only
    # redirect (GET) to the unit's most urgent open campaign (campaigns.legacy).
    path("units/<str:code>/", campaign_views.unit_home, name="unit_home"),
    path("units/<str:code>/progress/", progress_views.unit_progress_latest,
         name="unit_progress"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/", campaign_views.campaign_unit_home,
         name="campaign_unit_home"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/progress/", progress_views.unit_progress,
         name="campaign_unit_progress"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/progress/paste/",
         progress_views.grid_paste, name="campaign_progress_paste"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/progress/import/",
         progress_views.import_upload, name="campaign_progress_import"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/progress/import/confirm/",
         progress_views.import_confirm, name="campaign_progress_import_confirm"),
    path("reports/<int:pk>/", progress_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/versions/<int:number>/", progress_views.report_version,
         name="report_version"),
    path("reports/<int:pk>/diff/", progress_views.report_diff, name="report_diff"),
    path("reports/<int:pk>/reopen/", progress_views.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/report.xlsx", progress_views.report_xlsx, name="report_xlsx"),
    # The plain attachment 1 of the 2022 notice, for old links; pages link the campaign's.
    path("progress/template.xlsx", progress_views.template_xlsx, name="progress_template"),
    path("campaigns/<int:pk>/progress/template.xlsx", progress_views.template_xlsx,
         name="campaign_progress_template"),
    path("campaigns/<int:pk>/progress/", progress_views.campaign_progress,
         name="campaign_progress"),
    path("campaigns/<int:pk>/progress.xlsx", progress_views.campaign_xlsx,
         name="campaign_progress_xlsx"),
    path("manage/units/", unit_views.unit_list, name="unit_list"),
    path("manage/units/new/", unit_views.unit_create, name="unit_create"),
    path("manage/units/<int:pk>/edit/", unit_views.unit_edit, name="unit_edit"),
    path("manage/units/<int:pk>/delete/", unit_views.unit_delete, name="unit_delete"),
    path("manage/units/<int:pk>/active/", unit_views.unit_deactivate, name="unit_active"),
    path("manage/accounts/", unit_views.account_list, name="account_list"),
    path("manage/accounts/new/", unit_views.account_create, name="account_create"),
    path("manage/accounts/<int:pk>/edit/", unit_views.account_edit, name="account_edit"),
    path(
        "manage/accounts/<int:pk>/password/", unit_views.account_password, name="account_password"
    ),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.csv", audit_export.audit_csv, name="audit_export"),
    path("audit/chain/", audit_views.audit_chain, name="audit_chain"),
    path("security/locks/", security_views.lock_list, name="security_locks"),
    path("security/locks/<int:pk>/unlock/", security_views.unlock, name="security_unlock"),
    path("security/addresses/<int:pk>/unlock/", security_views.address_unlock,
         name="security_address_unlock"),
    path("security/accounts/", privileged_views.privileged_accounts,
         name="privileged_accounts"),
    path("security/accounts/<int:pk>/revoke/", privileged_views.privileged_revoke,
         name="privileged_revoke"),
    path("security/policy/", security_views.policy, name="security_policy"),
    path("security/otp/", security_views.otp_setup, name="otp_setup"),
    path("security/otp/verify/", security_views.otp_verify, name="otp_verify"),
    path("security/otp/recovery/", security_views.otp_recovery, name="otp_recovery"),
    path("security/otp/<int:pk>/reset/", security_views.otp_reset, name="otp_reset"),
    path("", include("campaigndesk.articles.urls")),
    path("", include("campaigndesk.oversight.urls")),
    path("", include("campaigndesk.guide.urls")),
    path("", include("campaigndesk.places.urls")),
    path("", include("campaigndesk.intake.urls")),
    path("", include("campaigndesk.ministry.urls")),
    path("", include("campaigndesk.jobs.urls")),
    path("", include("campaigndesk.cascade.urls")),
    path("", include("campaigndesk.api.urls")),
    # The REST API (issue 18): schema at /api/v1/schema/, docs at /api/v1/docs/.
    path("api/v1/", api.urls),
]

# Every error page reads in Chinese, not as Django's English page (campaigndesk/security/
# errors.py; 413 comes from RequestLimitMiddleware, 503 from ErrorMiddleware).
handler400 = "campaigndesk.security.errors.bad_request"
handler403 = "campaigndesk.security.errors.permission_denied"
handler404 = "campaigndesk.security.errors.page_not_found"
handler500 = "campaigndesk.security.errors.server_error"
