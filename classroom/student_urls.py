from django.urls import path

from . import views

# Mounted at /students/.
urlpatterns = [
    path("me/edit/", views.student_profile_edit, name="student-profile-edit"),
]
