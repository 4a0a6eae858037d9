from django.urls import path

from . import views

urlpatterns = [
    path("intake/", views.inbox, name="intake_inbox"),
    path("intake/fetch/", views.fetch_now, name="intake_fetch"),
    path("intake/messages/<int:pk>/", views.message_detail, name="intake_message"),
    path("intake/messages/<int:pk>/assign/", views.message_assign, name="intake_assign"),
    path("intake/messages/<int:pk>/dismiss/", views.message_dismiss, name="intake_dismiss"),
    path("intake/attachments/<int:pk>/", views.attachment_detail, name="intake_attachment"),
    path("intake/attachments/<int:pk>/confirm/", views.attachment_confirm,
         name="intake_confirm"),
    path("intake/attachments/<int:pk>/discard/", views.attachment_discard,
         name="intake_discard"),
    path("intake/attachments/<int:pk>/file/", views.attachment_file, name="intake_file"),
    path("intake/addresses/", views.addresses, name="intake_addresses"),
    path("intake/addresses/<int:pk>/remove/", views.address_remove,
         name="intake_address_remove"),
    path("units/<str:code>/mail/", views.unit_mail, name="unit_mail"),
]
