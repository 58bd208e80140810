from django.urls import path

from . import views
from .scheduling import views as scheduling_views

# Mounted at /teachers/. `me` is a reserved slug (see models.RESERVED_SLUGS), so no teacher's page
# can sit where the edit page is.
urlpatterns = [
    path("", views.teacher_directory, name="teacher-directory"),
    path("me/edit/", views.teacher_profile_edit, name="teacher-profile-edit"),
    path("<slug:slug>/", scheduling_views.teacher_detail, name="teacher-detail"),
]
