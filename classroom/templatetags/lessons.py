"""`{{ lesson|lesson_title:user }}`: a lesson's name for the person looking (Lesson.title_for)."""

from django import template

register = template.Library()


@register.filter
def lesson_title(lesson, viewer) -> str:
    return lesson.title_for(viewer)
