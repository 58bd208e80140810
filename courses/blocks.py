"""StreamField blocks that show courses, for the pages of the apps above (home, landing pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from cplatform.blocks import SectionBlock

from .selectors import CourseFilters, catalog_languages, course_cards, course_list_public


class CourseListBlock(SectionBlock):
    """Published courses (with a live course page): hand-picked in the editor's order, or picked
    automatically by subject / level / teacher, soonest first; each linking to its page in the
    visitor's language (or the default language's page)."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("Courses"))
    source = blocks.ChoiceBlock(
        choices=[
            ("automatic", _("Automatic (by the filters below)")),
            ("chosen", _("Hand-picked")),
        ],
        default="automatic",
        label=_("Which courses"),
        help_text=_(
            "Automatic lists published courses matching the filters; hand-picked lists the course "
            "pages chosen below, in their order."
        ),
    )
    courses = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="courses.CoursePage", label=_("Course page")),
        default=[],
        label=_("Hand-picked courses"),
        help_text=_(
            "For a hand-picked list, in the order to show them. Courses not published (or without "
            "a live page) are skipped."
        ),
    )
    subject = SnippetChooserBlock("catalog.Subject", required=False)
    level = SnippetChooserBlock("catalog.Level", required=False)
    teacher = SnippetChooserBlock(
        "classroom.TeacherProfile", required=False, help_text=_("Only this teacher's courses.")
    )
    limit = blocks.IntegerBlock(default=6, min_value=1, max_value=24, label=_("How many courses"))
    empty_text = blocks.CharBlock(
        max_length=200,
        required=False,
        label=_("Text while there are no courses"),
        help_text=_("Shown while there are no courses to list."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Course list")
        template = "components/blocks/course_list.html"
        description = _("Hand-picked courses, or courses filtered by subject, level or teacher.")
        preview_value = {"heading": _("Courses"), "source": "automatic", "limit": 6}

    def extra_errors(self, value):
        errors = super().extra_errors(value)
        if value.get("source") == "chosen" and not [p for p in value.get("courses") or [] if p]:
            errors["courses"] = ValidationError(_("Choose at least one course page."))
        return errors

    def get_courses(self, value, request=None) -> list:
        """The courses to show, each with `page` and `page_url`: a fixed number of queries."""
        languages = catalog_languages()
        limit = value.get("limit") or 6
        if value.get("source") == "chosen":
            ids = list(
                dict.fromkeys(p.course_id for p in value.get("courses") or [] if p is not None)
            )
            published = course_list_public(live_page_languages=languages).filter(pk__in=ids)
            by_id = {course.pk: course for course in published}
            courses = [by_id[pk] for pk in ids if pk in by_id][:limit]
        else:
            teacher = value.get("teacher")
            filters = CourseFilters(
                subject=getattr(value.get("subject"), "slug", None),
                level=getattr(value.get("level"), "code", None),
                teacher=teacher.user_id if teacher is not None else None,
            )
            courses = list(
                course_list_public(filters=filters, live_page_languages=languages)[:limit]
            )
        return course_cards(courses, languages=languages, request=request)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["courses"] = self.get_courses(value, (parent_context or {}).get("request"))
        return context
