from django.urls import path

from . import views

# Mounted at /lessons/, after classroom/scheduling/urls.py.
urlpatterns = [
    path("<int:lesson_id>/", views.lesson_detail, name="lesson-detail"),
    # Asked first (a confirmation page), then done: destructive actions on the lesson page.
    path(
        "<int:lesson_id>/materials/<int:material_id>/stop-sharing/",
        views.lesson_material_detach,
        name="lesson-material-detach",
    ),
    path(
        "<int:lesson_id>/seats/<int:student_id>/release/",
        views.seat_release,
        name="lesson-seat-release",
    ),
    path("course/<int:course_id>/sessions/", views.session_list, name="course-sessions"),
    path("course/<int:course_id>/sessions/new/", views.session_create, name="session-create"),
]
