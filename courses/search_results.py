"""The courses' part of the site search (cplatform.search): course pages form their own group."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .pages import CoursePage


@hooks.register("register_search_page_groups")
def course_pages():
    return "courses", _("Courses"), [CoursePage]
