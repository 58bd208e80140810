"""StreamField blocks that show courses, for the pages of the apps above (home, landing pages)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from cplatform.blocks import SectionBlock

from .selectors import CourseFilters, catalog_languages, course_cards, course_list_public


class CourseListBlock(SectionBlock):
    """Published courses (with a live course page) by subject / level / teacher, soonest first, each
    linking to its page in the visitor's language (or the default language's page)."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("Courses"))
    subject = SnippetChooserBlock("catalog.Subject", required=False)
    level = SnippetChooserBlock("catalog.Level", required=False)
    teacher = SnippetChooserBlock(
        "classroom.TeacherProfile", required=False, help_text=_("Only this teacher's courses.")
    )
    limit = blocks.IntegerBlock(default=6, min_value=1, max_value=24)
    empty_text = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text=_("Shown while there are no courses to list."),
    )

    class Meta:
        icon = "list-ul"
        template = "components/blocks/course_list.html"
        description = _("Courses filtered by subject, level or teacher.")
        preview_value = {"heading": _("Courses"), "limit": 6}

    def get_courses(self, value, request=None) -> list:
        """The courses to show, each with `page` and `page_url`: a fixed number of queries."""
        teacher = value.get("teacher")
        filters = CourseFilters(
            subject=getattr(value.get("subject"), "slug", None),
            level=getattr(value.get("level"), "code", None),
            teacher=teacher.user_id if teacher is not None else None,
        )
        languages = catalog_languages()
        courses = course_list_public(filters=filters, live_page_languages=languages)
        return course_cards(
            list(courses[: value.get("limit") or 6]), languages=languages, request=request
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["courses"] = self.get_courses(value, (parent_context or {}).get("request"))
        return context
