"""The course page's action menu: where a teacher cannot publish in the admin (no course
workflow), the menu says where they can, beside "Save draft"."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from .page_panels import publishing_rule
from .pages import CoursePage


class TeacherAreaPublishMenuItem(ActionMenuItem):
    """A link to the course's page in the teacher area, whose "Publish" puts the page live."""

    label = _("Publish in the teacher area")
    name = "action-teacher-area-publish"
    icon_name = "upload"

    def _rule(self, context) -> dict | None:
        page = context.get("page")
        if context.get("view") != "edit" or not isinstance(page, CoursePage):
            return None
        return publishing_rule(page=page, user=context["request"].user)

    def is_shown(self, context):
        rule = self._rule(context)
        return bool(rule and rule["link_url"]) and super().is_shown(context)

    def get_url(self, parent_context):
        rule = self._rule(parent_context)
        return rule["link_url"] if rule else None


@hooks.register("register_page_action_menu_item")
def teacher_area_publish_menu_item():
    return TeacherAreaPublishMenuItem(order=20)
