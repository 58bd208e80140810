from django.urls import path

from . import views

# Mounted at /rooms/ (language-prefixed).
urlpatterns = [
    path("", views.room_list, name="room-list"),
    path("new/", views.room_create, name="room-create"),
    path("courses/<int:course_id>/open/", views.course_room_open, name="course-room-open"),
    path("<int:room_id>/", views.room_detail, name="room-detail"),
    path("<int:room_id>/messages/", views.room_messages_fragment, name="room-messages"),
    path("<int:room_id>/post/", views.room_post, name="room-post"),
    path(
        "<int:room_id>/messages/<int:message_id>/edit/",
        views.room_message_edit,
        name="room-message-edit",
    ),
    path(
        "<int:room_id>/messages/<int:message_id>/delete/",
        views.room_message_delete,
        name="room-message-delete",
    ),
    path("<int:room_id>/edit/", views.room_edit, name="room-edit"),
    path("<int:room_id>/delete/", views.room_delete, name="room-delete"),
    path("<int:room_id>/members/", views.room_members, name="room-members"),
    path(
        "<int:room_id>/members/<int:user_id>/remove/",
        views.room_member_remove,
        name="room-member-remove",
    ),
    path("<int:room_id>/leave/", views.room_leave, name="room-leave"),
]
