from django.urls import path

from . import views, views_files, views_public

urlpatterns = [
    path("places/", views_public.places_public, name="places_public"),
    path("places/<int:pk>/", views_public.place_public, name="place_public"),
    path("places/manage/", views.places_home, name="places_home"),
    path("units/<str:code>/places/", views.unit_places, name="unit_places"),
    path("units/<str:code>/places/new/", views.place_create, name="place_create"),
    path("units/<str:code>/places/template.xlsx", views.places_template,
         name="places_template"),
    path("units/<str:code>/places/export.xlsx", views.places_export, name="places_export"),
    path("units/<str:code>/places/import/", views.places_import, name="places_import"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/delete/", views.place_delete, name="place_delete"),
    path("campaigns/<int:campaign_pk>/places/<int:pk>/poster-<str:size>.pdf",
         views_files.place_poster, name="place_poster"),
    path("campaigns/<int:campaign_pk>/units/<str:code>/places/posters.zip",
         views_files.unit_posters, name="unit_posters"),
    path("campaigns/<int:campaign_pk>/places/<int:pk>/signage/", views_files.place_signage,
         name="place_signage"),
    path("signage/<str:key>/<str:size>.jpg", views_files.signage_photo, name="signage_photo"),
]
