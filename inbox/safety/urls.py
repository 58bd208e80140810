from django.urls import path

from . import views

urlpatterns = [
    path("blocked/", views.block_list, name="inbox-blocks"),
    path("people/<int:user_id>/block/", views.block_user, name="inbox-block"),
    path("blocked/<int:block_id>/unblock/", views.unblock_user, name="inbox-unblock"),
    path("messages/<int:message_id>/report/", views.report_message_view, name="inbox-report"),
    path("reports/sent/", views.report_sent, name="inbox-report-sent"),
    path("children/", views.children_messages, name="inbox-children-messages"),
    path("children/<int:thread_id>/", views.child_thread, name="inbox-child-thread"),
]
