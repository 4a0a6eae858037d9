from django.urls import path

from . import views

urlpatterns = [
    # The general page needs no log-in (the log-in page links it); the role pages do.
    path("help/", views.general, name="help"),
    path("help/reporter/", views.reporter, name="help_reporter"),
    path("help/reviewer/", views.reviewer, name="help_reviewer"),
    path("help/admin/", views.admin, name="help_admin"),
]
