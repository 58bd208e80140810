from django.urls import path

from . import views

# Mounted at /courses/. The fixed words below are reserved slugs (see services.RESERVED_SLUGS).
urlpatterns = [
    path("", views.course_catalog, name="course-catalog"),
    path("mine/", views.my_courses, name="my-courses"),
    path("teach/", views.teach_courses, name="teach-courses"),
    path("teach/new/", views.teach_course_create, name="teach-course-create"),
    path("teach/<int:course_id>/", views.teach_course, name="teach-course"),
    path("teach/<int:course_id>/edit/", views.teach_course_edit, name="teach-course-edit"),
    path(
        "materials/<int:material_id>/download/",
        views.material_download,
        name="material-download",
    ),
    path(
        "enrollments/<int:enrollment_id>/withdraw/",
        views.enrollment_withdraw_view,
        name="enrollment-withdraw",
    ),
    path(
        "enrollments/<int:enrollment_id>/remove/",
        views.enrollment_remove_view,
        name="enrollment-remove",
    ),
    path("<slug:slug>/", views.course_detail, name="course-detail"),
    path("<slug:slug>/enrol/", views.course_enrol, name="course-enrol"),
]
