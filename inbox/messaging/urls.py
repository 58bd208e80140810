from django.urls import path

from ..attachments.views import attachment_download
from . import views

# Mounted at /messages/ (language-prefixed).
urlpatterns = [
    path("", views.inbox, name="messages-inbox"),
    path("sent/", views.sent, name="messages-sent"),
    path("archive/", views.archive, name="messages-archive"),
    path("trash/", views.trash, name="messages-trash"),
    path("new/", views.message_new, name="message-new"),
    path("threads/<int:thread_id>/", views.thread_detail, name="message-thread"),
    path("<int:message_id>/reply/", views.message_reply, name="message-reply"),
    path("<int:message_id>/archive/", views.message_archive, name="message-archive"),
    path("<int:message_id>/unarchive/", views.message_unarchive, name="message-unarchive"),
    path("<int:message_id>/delete/", views.message_delete, name="message-delete"),
    path("attachments/<int:attachment_id>/", attachment_download, name="message-attachment"),
    path("<int:message_id>/restore/", views.message_restore, name="message-restore"),
]
