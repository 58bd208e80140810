from django.urls import path

from . import views

urlpatterns = [
    path("", views.teacher_directory, name="teacher-directory"),
    path("<slug:slug>/", views.teacher_detail, name="teacher-detail"),
]
