from django.urls import path, register_converter

from . import views


class PageSlugConverter:
    """A slug that reverses but never resolves here: the URL belongs to a Wagtail page, which the
    catch-all pattern after this app serves. (A converter's ValueError means "no match".)"""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value):
        raise ValueError(value)

    def to_url(self, value):
        return value


register_converter(PageSlugConverter, "page_slug")

# Mounted at /courses/, which is the CourseIndexPage (a Wagtail page with slug "courses"); course pages
# are its children at /courses/<course slug>/. The fixed words below are reserved slugs
# (see services.RESERVED_SLUGS).
urlpatterns = [
    path("", views.course_catalog, name="course-catalog"),
    path("mine/", views.my_courses, name="my-courses"),
    path("teach/", views.teach_courses, name="teach-courses"),
    path("teach/new/", views.teach_course_create, name="teach-course-create"),
    path("teach/<int:course_id>/", views.teach_course, name="teach-course"),
    path("teach/<int:course_id>/edit/", views.teach_course_edit, name="teach-course-edit"),
    path("teach/<int:course_id>/publish/", views.teach_course_publish, name="teach-course-publish"),
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
    # Reverse only (Course.get_absolute_url): the CoursePage answers this address.
    path("<page_slug:slug>/", views.course_detail, name="course-detail"),
    path("<slug:slug>/enrol/", views.course_enrol, name="course-enrol"),
]
