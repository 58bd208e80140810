"""The product's areas in the header, for the signed-in person's roles.

{% product_areas as nav %}   nav.areas: the areas this person uses, in header order, each with
                             label, url, current and its sub-pages (links); nav.current: the area of
                             the page being shown (its sub-navigation sits under the header).

An area lists the routes (URL names) that belong to it, so a sub-page (the teacher's week, a
course's sessions) marks its area as the current one and shows the area's other pages beside it.
Only URL names: the chrome imports no feature app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

STUDENT, PARENT, TEACHER = "student", "parent", "teacher"
LEARNER = {STUDENT, PARENT}
TEACHING_COURSE_PAGES = {
    "teach-courses",
    "teach-course",
    "teach-course-create",
    "teach-course-edit",
    "course-sessions",
    "session-create",
}


@dataclass(frozen=True)
class Link:
    route: str
    label: str
    roles: frozenset[str] = frozenset({STUDENT, PARENT, TEACHER})


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    roles: frozenset[str]
    start: str  # the area's own page, where its header link goes
    pages: frozenset[str]
    links: tuple[Link, ...] = field(default=())


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


ALL = _roles(STUDENT, PARENT, TEACHER, "signed-in")
AREAS: tuple[Area, ...] = (
    Area("home", _("Home"), ALL, "dashboard", frozenset({"dashboard"})),
    Area(
        "lessons",
        _("Lessons"),
        _roles(STUDENT, PARENT, TEACHER),
        "lesson-list",
        frozenset(
            {
                "lesson-list",
                "lesson-detail",
                "lesson-reschedule",
                "lesson-book",
                "calendar-feed-page",
            }
        ),
        (
            Link("lesson-list", _("My lessons")),
            Link("week-schedule", _("My week"), _roles(TEACHER)),
            Link("calendar-feed-page", _("Calendar feed")),
        ),
    ),
    Area(
        "courses",
        _("Courses"),
        _roles(STUDENT, PARENT, TEACHER),
        "my-courses",
        frozenset({"my-courses", *TEACHING_COURSE_PAGES}),
        (
            Link("my-courses", _("My courses"), _roles(STUDENT, PARENT)),
            Link("teach-courses", _("Courses I teach"), _roles(TEACHER)),
            Link("teach-course-create", _("New course"), _roles(TEACHER)),
            Link("course-catalog", _("Course catalog")),
        ),
    ),
    Area(
        "progress",
        _("Progress"),
        _roles(STUDENT, PARENT, TEACHER),
        "progress-home",
        frozenset({"progress-home", "progress-history", "progress-student", "progress-enrollment"}),
    ),
    Area(
        "teaching",
        _("Teaching"),
        _roles(TEACHER),
        "week-schedule",
        frozenset({"week-schedule", "availability-edit", "time-off", "teacher-profile-edit"}),
        (
            Link("week-schedule", _("My week")),
            Link("availability-edit", _("Availability")),
            Link("time-off", _("Time off")),
            Link("teach-courses", _("Courses I teach")),
            Link("teacher-profile-edit", _("Teaching profile")),
        ),
    ),
    Area(
        "messages",
        _("Messages"),
        ALL,
        "messages-inbox",
        frozenset(
            {
                "messages-inbox",
                "messages-sent",
                "messages-archive",
                "messages-trash",
                "message-new",
                "message-thread",
                "room-list",
                "room-detail",
                "room-create",
                "room-edit",
                "room-members",
                "room-message-edit",
            }
        ),
        (
            Link("messages-inbox", _("Direct messages"), ALL),
            Link("room-list", _("Chat rooms"), ALL),
        ),
    ),
    Area(
        "children",
        _("Children"),
        _roles(PARENT),
        "guardians",
        frozenset({"guardians", "student-date-of-birth"}),
    ),
)


def _url(route: str) -> str | None:
    try:
        return reverse(route)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def product_areas(context) -> dict:
    """The signed-in person's areas (see the module docstring); empty for anonymous visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"areas": [], "current": None}
    roles = {"signed-in"}
    roles |= {STUDENT} if context.get("is_student") else set()
    roles |= {PARENT} if context.get("is_parent") else set()
    roles |= {TEACHER} if context.get("is_teacher") else set()
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match is not None else None
    areas, current = [], None
    for area in AREAS:
        if not roles & area.roles:
            continue
        links = [
            {"label": link.label, "url": url, "current": link.route == here}
            for link in area.links
            if roles & link.roles and (url := _url(link.route))
        ]
        start, pages = area.start, area.pages
        if area.key == "courses" and not roles & LEARNER:
            # A teacher who learns nothing opens the courses they teach; learners their own.
            start, pages = "teach-courses", pages - {"my-courses"}
        url = _url(start)
        if url is None:
            continue
        is_current = current is None and here in pages
        entry = {
            "key": area.key,
            "label": area.label,
            "url": url,
            "current": is_current,
            "links": links if len(links) > 1 else [],
        }
        if is_current:
            current = entry
        areas.append(entry)
    return {"areas": areas, "current": current}
