from django.urls import path

from . import views

urlpatterns = [
    # The region's package for 民政部 (the address it had when it held only the briefs).
    path("campaigns/<int:pk>/articles/ministry.zip", views.campaign_ministry,
         name="campaign_ministry"),
    # At the ministry (settings.MINISTRY_MODE): the national page and the provinces'.
    path("ministry/", views.national, name="ministry_national"),
    path("ministry/import/", views.import_page, name="ministry_import"),
    path("ministry/provinces/<int:pk>/", views.province, name="ministry_province"),
    path("ministry/provinces/<int:pk>/summary", views.summary_file, name="ministry_summary"),
    path("ministry/briefs/<int:pk>/", views.brief, name="ministry_brief"),
    path("ministry/photos/<int:pk>/<str:size>/", views.photo, name="ministry_photo"),
]
