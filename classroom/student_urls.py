from django.urls import path

from . import views

# Mounted at /students/.
urlpatterns = [
    path("me/edit/", views.student_profile_edit, name="student-profile-edit"),
    path(
        "<int:student_id>/date-of-birth/",
        views.student_date_of_birth,
        name="student-date-of-birth",
    ),
]
