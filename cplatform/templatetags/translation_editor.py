"""The translation editor's footer and segment labels (see `cplatform/translation_editor.py`)."""

from django import template
from django.utils.safestring import mark_safe

from cplatform import translation_editor

register = template.Library()


@register.simple_tag(takes_context=True)
def translation_action_menu(context):
    """Wagtail's page action menu for the translated page being edited, as HTML."""
    menu = translation_editor.translation_action_menu(
        context["request"], context["instance"], context["translation"]
    )
    return mark_safe(menu.render_html())  # noqa: S308 - Wagtail's own rendered template


@register.filter
def relabelled_segments(props: str, translation) -> str:
    return translation_editor.relabel_segments(props, translation)
