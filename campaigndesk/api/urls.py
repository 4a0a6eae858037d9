from django.urls import path

from . import views

urlpatterns = [
    path("manage/api-tokens/", views.token_list, name="api_tokens"),
    path("manage/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
