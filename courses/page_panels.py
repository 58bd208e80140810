"""The course page's edit screen in the Wagtail admin: what comes from the course record (shown,
not edited here, with a link to where it is edited) and how the page is published, which depends
on the course section's workflow and on who edits (a teacher of the course, an editor, a
moderator)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel


class ReadOnlyText(forms.Widget):
    """A field the form keeps (disabled: a posted value is ignored) but shows as text, labelled by
    the panel's heading, so the screen does not offer an input that would silently revert."""

    def __init__(self, text: str, attrs=None):
        super().__init__(attrs)
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        element_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<div class="w-field__textoutput course-page-readonly" id="{}" role="textbox" '
            'aria-readonly="true" aria-labelledby="{}-label" tabindex="0">{}</div>',
            element_id,
            element_id,
            self.text,
        )

    def value_from_datadict(self, data, files, name):
        return None  # never read: the field is disabled


def publishing_rule(*, page, user) -> dict:
    """How this user's changes to this course page reach the public: the text of the help panel,
    naming the buttons the action menu shows them, and the teacher area's link when publishing
    happens there. Keys: `text`, `link_url`, `link_text` (both "" when there is no link)."""
    from .selectors import can_manage_course

    perms = page.permissions_for_user(user)
    workflow = page.get_workflow() if page.pk else None
    link_url = link_text = ""
    if workflow is not None:
        text = _(
            "“Save draft” keeps your changes without publishing them. “Submit to %(workflow)s” "
            "sends them to review: a moderator checks them and publishes the page."
        ) % {"workflow": workflow.name}
        if perms.can_publish():
            text += " " + _("As a moderator you may also publish them yourself with “Publish”.")
    elif perms.can_publish():
        text = _(
            "“Publish” puts your changes live at once and publishes the course with them; "
            "“Save draft” keeps them without publishing."
        )
    elif page.pk and can_manage_course(user=user, course=page.course):
        text = _(
            "“Save draft” keeps your changes. To put them live, press “Publish” on the course's "
            "page in the teacher area: the page and the course go live together."
        )
        link_url = reverse("teach-course", args=[page.course_id])
        link_text = _("Publish in the teacher area")
    else:
        text = _(
            "“Save draft” keeps your changes. A moderator, or the course's teacher from the "
            "teacher area, publishes them."
        )
    return {"text": text, "link_url": link_url, "link_text": link_text}


class CoursePublishingPanel(Panel):
    """At the top of the edit screen: how this page is published, for the person editing it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/publishing_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rule"] = publishing_rule(page=self.instance, user=self.request.user)
            return context


class CourseRecordPanel(Panel):
    """Read-only: what the page shows from the course record (summary, facts, dates, seats,
    syllabus), in the page's language, with the link to edit it in the teacher area. Not shown
    while the page is being created (no course chosen yet)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("From the course"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/course_record_panel.html"

        def is_shown(self):
            return bool(getattr(self.instance, "pk", None) and self.instance.course_id)

        def get_context_data(self, parent_context=None):
            from .selectors import can_manage_course, course_get_for_page

            context = super().get_context_data(parent_context)
            page = self.instance
            course = course_get_for_page(course_id=page.course_id)
            language = page.locale.language_code
            context.update(
                course=course,
                summary=course.translated("summary", language=language),
                modules=[m.translated("title", language=language) for m in course.modules.all()],
                teacher_area_url=(
                    reverse("teach-course", args=[course.pk])
                    if can_manage_course(user=self.request.user, course=course)
                    else ""
                ),
            )
            return context
