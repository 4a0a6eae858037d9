from django.urls import path

from . import views, views_public, views_review

urlpatterns = [
    path("articles/", views.articles_home, name="articles_home"),
    path("units/<str:code>/articles/", views.unit_articles, name="unit_articles"),
    path("units/<str:code>/articles/new/", views.article_create, name="article_create"),
    path("units/<str:code>/articles/import/", views.article_import, name="article_import"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/check/", views.article_check, name="article_check"),
    path("articles/<int:pk>/submit/", views.article_submit, name="article_submit"),
    path("articles/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", views.photo_edit, name="photo_edit"),
    path("photos/<int:pk>/<str:size>.jpg", views.photo_file, name="photo_file"),
    path("articles/<int:pk>/comments/", views_review.article_comment, name="article_comment"),
    path("articles/<int:pk>/steps/<str:step>/", views_review.article_step, name="article_step"),
    path("articles/<int:pk>/wechat/", views_review.article_wechat, name="article_wechat"),
    path("campaigns/<int:pk>/articles/", views_review.campaign_articles,
         name="campaign_articles"),
    path("campaigns/<int:pk>/articles/magazine.docx", views_review.campaign_magazine,
         name="campaign_magazine"),
    path("campaigns/<int:pk>/articles/ministry.zip", views_review.campaign_ministry,
         name="campaign_ministry"),
    path("notices/", views.notices, name="notices"),
    path("news/", views_public.news_index, name="news_index"),
    path("news/typical/", views_public.news_typical, name="news_typical"),
    path("news/units/<str:code>/", views_public.news_unit, name="news_unit"),
    path("news/<int:pk>/", views_public.news_article, name="news_article"),
    path("news/photos/<str:key>/<str:size>.jpg", views_public.news_photo, name="news_photo"),
]
