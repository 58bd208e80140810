from django.urls import path

from . import views

# Mounted at /lessons/, after classroom/scheduling/urls.py.
urlpatterns = [
    path("<int:lesson_id>/", views.lesson_detail, name="lesson-detail"),
    path("course/<int:course_id>/sessions/", views.session_list, name="course-sessions"),
    path("course/<int:course_id>/sessions/new/", views.session_create, name="session-create"),
]
