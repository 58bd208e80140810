from django.urls import path

from . import views

# Mounted at /progress/ (language-prefixed).
urlpatterns = [
    path("", views.progress_home, name="progress-home"),
    path("history/", views.lesson_history, name="progress-history"),
    path("students/<int:student_id>/", views.student_detail, name="progress-student"),
    path("enrollments/<int:enrollment_id>/", views.enrollment_progress, name="progress-enrollment"),
    path(
        "enrollments/<int:enrollment_id>/modules/<int:module_id>/",
        views.module_mark,
        name="progress-module-mark",
    ),
    path("enrollments/<int:enrollment_id>/notes/", views.note_add, name="progress-note-add"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="progress-note-delete"),
]
