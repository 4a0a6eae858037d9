from django.urls import path

from . import views, views_remind, views_screen, views_summary

urlpatterns = [
    path("campaigns/<int:pk>/dashboard/", views.campaign_dashboard, name="campaign_dashboard"),
    path("campaigns/<int:pk>/dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("campaigns/<int:pk>/remind/", views_remind.remind, name="campaign_remind"),
    path("campaigns/<int:pk>/remind/<int:run>/", views_remind.remind_result,
         name="remind_result"),
    path("campaigns/<int:pk>/reminders/", views_remind.reminder_log, name="reminder_log"),
    path("campaigns/<int:pk>/summaries/", views_summary.campaign_summaries,
         name="campaign_summaries"),
    path("campaigns/<int:pk>/summaries.zip", views_summary.summaries_zip, name="summaries_zip"),
    path("campaigns/<int:pk>/summary-draft.docx", views_summary.summary_draft,
         name="summary_draft"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/summary/", views_summary.unit_summary,
         name="unit_summary"),
    path("summaries/<int:pk>/", views_summary.summary_version, name="summary_version"),
    path("summaries/<int:pk>/file", views_summary.summary_file, name="summary_file"),
    path("screen/", views_screen.screen, name="screen"),
    path("screen/<int:campaign_pk>/", views_screen.screen, name="screen_campaign"),
    path("screen/<int:campaign_pk>/data.json", views_screen.screen_data, name="screen_data"),
]
