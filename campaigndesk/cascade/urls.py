from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:campaign_pk>/units/<str:code>/cascade/", views.cascade_home,
         name="cascade_home"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/cascade/setup/", views.cascade_setup,
         name="cascade_setup"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/cascade/accounts/",
         views.cascade_accounts, name="cascade_accounts"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/cascade/remind/", views.cascade_remind,
         name="cascade_remind"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/cascade/workbook.xlsx",
         views.cascade_xlsx, name="cascade_xlsx"),
    path("articles/<int:pk>/forward/", views.article_forward, name="article_forward"),
    path("articles/<int:pk>/bureau-return/", views.article_bureau_return,
         name="article_bureau_return"),
]
