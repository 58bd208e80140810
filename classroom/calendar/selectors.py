"""Reads for calendar feeds. A feed is found by its secret token only; the lessons it lists are the
owner's: those they teach, take (1:1 or a live seat in a group session) and their linked children's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from authentication.choices import Role
from authentication.roles import has_role, is_admin
from cplatform.api_http import absolute_url
from cplatform.exceptions import NotFound

from ..choices import TIME_FREED, LessonStatus
from ..models import (
    AvailabilityException,
    AvailabilityRule,
    CalendarFeed,
    Lesson,
    TeacherProfile,
    minutes_of_day,
)
from ..scheduling.selectors import lessons_of
from ..scheduling.wallclock import local_to_utc, zone

# What a feed covers around now: recent history and a year ahead.
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=365)


def calendar_feed_of(*, user) -> CalendarFeed | None:
    """The person's feed, or None when they have none (never created, or revoked)."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_get_by_token(*, token: str) -> CalendarFeed:
    """The feed with this token and its owner (one query). Unknown, revoked or an inactive owner: 404."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
        if token
        else None
    )
    if feed is None:
        raise NotFound()
    return feed


def calendar_feed_urls(feed: CalendarFeed | None, request=None) -> dict:
    """The feed's address on the request's host (on SITE_URL without a request) and its webcal://
    twin; nulls without a feed."""
    if feed is None:
        return {"url": None, "webcal_url": None, "created_at": None, "last_fetched_at": None}
    url = absolute_url(reverse("calendar-feed", kwargs={"token": feed.token}), request)
    return {
        "url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "created_at": feed.created_at,
        "last_fetched_at": feed.last_fetched_at,
    }


def calendar_feed_lessons(
    *, user, now: datetime | None = None, past=FEED_PAST, future=FEED_FUTURE
) -> QuerySet[Lesson]:
    """The owner's lessons (both kinds, cancelled ones included so calendars drop them) that start
    within the feed's window: one query, whoever they are and however many lessons there are. A
    booking awaiting payment (held) is not in the feed until it is paid, nor one that expired unpaid
    (it never was)."""
    now = now or timezone.now()
    return (
        lessons_of(user)
        .filter(start__gte=now - past, start__lt=now + future)
        .exclude(status__in=(LessonStatus.HELD, LessonStatus.EXPIRED))
        .select_related("teacher__user", "student", "course")
        .order_by("start", "pk")
    )


# The teacher's week schedule


@dataclass
class WeekItem:
    """Something on a day of the grid, in the teacher's wall-clock time: `top` and `length` are
    minutes from the day's local midnight (for drawing), `starts`/`ends` the local times shown."""

    kind: str  # "available", "time_off" or "lesson"
    starts: datetime | time
    ends: datetime | time
    top: int
    length: int
    lesson: Lesson | None = None
    reason: str = ""


@dataclass
class WeekDay:
    day: date
    is_today: bool
    available: list[WeekItem] = field(default_factory=list)
    time_off: list[WeekItem] = field(default_factory=list)
    lessons: list[WeekItem] = field(default_factory=list)


@dataclass
class Week:
    monday: date
    days: list[WeekDay]
    first_hour: int
    last_hour: int
    tz_name: str


def week_teacher_for(*, viewer, teacher_id: str | None) -> TeacherProfile | None:
    """Whose week the viewer asks for: an admin may name any teacher (`teacher_id`, a profile id;
    unknown → NotFound); anyone else gets None (their own week; the parameter is ignored). An admin
    who names nobody and teaches nothing has no week: NotFound."""
    if not is_admin(viewer):
        return None
    if not teacher_id:
        if has_role(viewer, Role.TEACHER):
            return None
        raise NotFound()
    try:
        return TeacherProfile.objects.select_related("user").get(pk=int(teacher_id))
    except (TeacherProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _minutes(local: datetime, midnight: date) -> int:
    """Wall-clock minutes of `local` after midnight of `midnight` (1440 for the next midnight)."""
    return (local.date() - midnight).days * 1440 + local.hour * 60 + local.minute


def teacher_week(
    *, teacher: TeacherProfile, day: date, include_cancelled: bool = False, now=None
) -> Week:
    """The teacher's week (Monday to Sunday in their own zone) around `day`: weekly availability,
    time off and lessons of both kinds. Three queries, however many lessons the teacher has."""
    tz_name = teacher.user.timezone or "UTC"
    tz = zone(tz_name)
    now = now or timezone.now()
    monday = week_monday(day)
    dates = [monday + timedelta(days=n) for n in range(7)]
    bounds = [
        local_to_utc(d, time(0, 0), tz, ambiguous="earliest")
        for d in [*dates, monday + timedelta(days=7)]
    ]
    start, end = bounds[0], bounds[-1]
    rules = list(AvailabilityRule.objects.filter(teacher=teacher).order_by("weekday", "start_time"))
    time_off = list(
        AvailabilityException.objects.filter(
            teacher=teacher, start__lt=end, end__gt=start
        ).order_by("start", "pk")
    )
    lessons = (
        Lesson.objects.filter(teacher=teacher, start__lt=end, end__gt=start)
        .select_related("student", "course")
        .annotate(
            live_seats=Count("seats", filter=Q(seats__cancelled_at__isnull=True), distinct=True)
        )
        .order_by("start", "pk")
    )
    if not include_cancelled:
        lessons = lessons.exclude(status__in=TIME_FREED)
    today = now.astimezone(tz).date()
    days = [WeekDay(day=d, is_today=d == today) for d in dates]
    for n, wd in enumerate(days):
        day_start, day_end = bounds[n], bounds[n + 1]
        for rule in rules:
            if rule.weekday == wd.day.weekday():
                top = minutes_of_day(rule.start_time)
                bottom = minutes_of_day(rule.end_time, end=True)
                wd.available.append(
                    WeekItem("available", rule.start_time, rule.end_time, top, bottom - top)
                )
        for off in time_off:
            if off.start < day_end and off.end > day_start:
                s = max(off.start, day_start).astimezone(tz)
                e = min(off.end, day_end).astimezone(tz)
                top = _minutes(s, wd.day)
                wd.time_off.append(
                    WeekItem("time_off", s, e, top, _minutes(e, wd.day) - top, reason=off.reason)
                )
    for lesson in lessons:
        s, e = lesson.start.astimezone(tz), lesson.end.astimezone(tz)
        index = (s.date() - monday).days
        if not 0 <= index < 7:  # began the Sunday before, ends on Monday
            index = 0
        top = max(0, _minutes(s, dates[index]))
        bottom = min(1440, _minutes(e, dates[index]))
        days[index].lessons.append(
            WeekItem("lesson", s, e, top, max(bottom - top, 15), lesson=lesson)
        )
    tops = [i.top for d in days for i in (*d.available, *d.time_off, *d.lessons) if i.length]
    bottoms = [
        i.top + i.length for d in days for i in (*d.available, *d.time_off, *d.lessons) if i.length
    ]
    first_hour = min([8, *(t // 60 for t in tops)])
    last_hour = max([18, *(-(-b // 60) for b in bottoms)])
    return Week(monday, days, max(0, first_hour), min(24, last_hour), tz_name)
