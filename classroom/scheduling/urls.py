from django.urls import path

from . import views

# Mounted at /lessons/ (tried before classroom/teaching/urls.py, which owns /lessons/<id>/).
urlpatterns = [
    path("", views.lesson_list, name="lesson-list"),
    path("availability/", views.availability_edit, name="availability-edit"),
    path("time-off/", views.time_off, name="time-off"),
    path("time-off/<int:time_off_id>/delete/", views.time_off_delete, name="time-off-delete"),
    path("book/<int:teacher_id>/", views.lesson_book, name="lesson-book"),
    path("book/<int:teacher_id>/review/", views.lesson_book_review, name="lesson-book-review"),
    path("<int:lesson_id>/cancel/", views.lesson_cancel, name="lesson-cancel"),
    path("<int:lesson_id>/reschedule/", views.lesson_reschedule, name="lesson-reschedule"),
]
