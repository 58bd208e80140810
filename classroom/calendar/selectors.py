"""Reads for calendar feeds. A feed is found by its secret token only; the lessons it lists are the
owner's: those they teach, take (1:1 or a live seat in a group session) and their linked children's."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink
from cplatform.exceptions import NotFound

from ..models import CalendarFeed, Lesson, LessonSeat

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


def _owner_lessons_q(user) -> Q:
    """The lessons in a person's own calendar, whatever roles they hold (the union of them all).
    Unlike the lesson pages, an admin's feed is their own lessons, not the whole school's."""
    children = GuardianLink.objects.filter(guardian=user, status=GuardianLinkStatus.ACTIVE).values(
        "child_id"
    )
    live_seats = LessonSeat.objects.filter(lesson=OuterRef("pk"), cancelled_at__isnull=True)
    return (
        Q(teacher__user=user)
        | Q(student=user)
        | Q(Exists(live_seats.filter(student=user)))
        | Q(student__in=children)
        | Q(Exists(live_seats.filter(student__in=children)))
    )


def calendar_feed_lessons(
    *, user, now: datetime | None = None, past=FEED_PAST, future=FEED_FUTURE
) -> QuerySet[Lesson]:
    """The owner's lessons (both kinds, cancelled ones included so calendars drop them) that start
    within the feed's window: one query, whoever they are and however many lessons there are."""
    now = now or timezone.now()
    return (
        Lesson.objects.filter(_owner_lessons_q(user), start__gte=now - past, start__lt=now + future)
        .select_related("teacher__user", "student", "course")
        .order_by("start", "pk")
    )
