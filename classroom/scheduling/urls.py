from django.urls import path

from . import views

# Mounted at /lessons/.
urlpatterns = [
    path("", views.lesson_list, name="lesson-list"),
    path("availability/", views.availability_edit, name="availability-edit"),
    path("book/<int:teacher_id>/", views.lesson_book, name="lesson-book"),
    path("<int:lesson_id>/cancel/", views.lesson_cancel, name="lesson-cancel"),
]
