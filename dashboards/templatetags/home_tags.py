"""How a role home names lessons and days: by the other person, in the viewer's language and zone."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from classroom.choices import LessonKind

register = template.Library()


@register.filter
def lesson_heading(lesson, viewer: str = "learner") -> str:
    """ "Lesson with Ana García" for a learner (the teacher) or a teacher (the student); a group
    session is named by its title or course."""
    if lesson.kind == LessonKind.GROUP:
        return lesson.title or (lesson.course.title if lesson.course_id else _("Group session"))
    if viewer == "teacher":
        other = lesson.student.name if lesson.student_id else ""
    else:
        other = lesson.teacher.user.name
    return _("Lesson with %(name)s") % {"name": other}


@register.filter
def home_day(value) -> str:
    """A day as people write it ("Monday, December 7" / "lunes, 7 de diciembre"), in the active
    time zone and language."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{date_format(local, 'l')}, {date_format(local, get_format('MONTH_DAY_FORMAT'))}"
    # Spanish writes weekdays and months in lower case ("lunes, 7 de diciembre").
    return text.lower() if (get_language() or "").startswith("es") else text


@register.filter
def is_today(value) -> bool:
    return value is not None and timezone.localtime(value).date() == timezone.localdate()
