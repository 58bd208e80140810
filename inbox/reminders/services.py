"""Lesson reminders, 24 hours and 1 hour before a lesson starts, each sent exactly once.

When: a reminder due at start − offset is sent by the first run of the scheduled task at or after
that moment, while the run is still inside the offset's window (`WINDOWS`: until 1 hour after the
due moment for the 24 h reminder, 20 minutes for the 1 h one). A worker that was down for a short
while still delivers; one that was down longer does not flood people with stale reminders. A lesson
booked (created) after its reminder was due gets no late copy of it: someone who books at 15:00 for
tomorrow 10:00 is not told "tomorrow" a minute later.

To whom: the teacher, the student of a 1:1 lesson or the seated students of a group session, and the
active guardians (Parent role) of those students who are under 16 (or whose age is not known),
unless the guardian turned off their children's lesson news (`NotificationSettings.
children_lesson_changes`). Only lessons that are `scheduled` (not cancelled, completed, or held in
any other state) are reminded.

Once: each (lesson, person, offset, start) is claimed with one `INSERT … ON CONFLICT DO NOTHING
RETURNING` in the same transaction as the notifications and their emails; only the rows this run
inserted are notified, so two runs, or two workers at once, never remind twice. That transaction
first locks the due lessons and re-reads them: one cancelled or moved since it was found is dropped. A lesson moved to
another time has another start: its new reminders are due then, and the old start no longer
matches the lesson, so its old reminders never go.

Reminders ignore the daily digest and quiet hours: a reminder held until after the lesson is
useless. The whole batch costs a fixed number of queries however many lessons are due (one per
email handed to the mail backend aside).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink
from authentication.selectors import CONSENT_AGE, user_age
from classroom.choices import LessonKind, LessonStatus
from classroom.models import Lesson, LessonSeat

from ..notifications.models import (
    DEFAULT_CHANNELS,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)
from ..notifications.services import notification_email
from .models import LessonReminder, ReminderOffset

KIND = NotificationKind.LESSON_REMINDER

# How long after its due moment a reminder may still be sent.
WINDOWS: dict[int, timedelta] = {
    ReminderOffset.DAY: timedelta(hours=1),
    ReminderOffset.HOUR: timedelta(minutes=20),
}


@dataclass(frozen=True)
class _Due:
    lesson: Lesson
    hours_before: int
    recipient: object  # User
    child: object | None  # the student, on a guardian's copy


def _due_offsets(lesson: Lesson, now: datetime) -> list[int]:
    offsets = []
    for hours, window in WINDOWS.items():
        due = lesson.start - timedelta(hours=hours)
        if due <= now < due + window and lesson.created_at <= due:
            offsets.append(hours)
    return offsets


def _candidate_lessons(now: datetime) -> list[Lesson]:
    """Scheduled lessons whose start is inside one offset's window, with everything a reminder's
    words need (teacher, student, course, the live seats' students and their ages) in three
    queries."""
    starts = Q()
    for hours, window in WINDOWS.items():
        ahead = now + timedelta(hours=hours)
        starts |= Q(start__gt=ahead - window, start__lte=ahead)
    live_seats = LessonSeat.objects.filter(cancelled_at__isnull=True).select_related(
        "student__student_profile"
    )
    return list(
        Lesson.objects.filter(starts, status=LessonStatus.SCHEDULED)
        .select_related("teacher__user", "student__student_profile", "course")
        .prefetch_related(Prefetch("seats", queryset=live_seats, to_attr="live_seats"))
        .order_by("start", "pk")
    )


def _students_of(lesson: Lesson) -> list:
    if lesson.kind == LessonKind.GROUP:
        return [seat.student for seat in lesson.live_seats]
    return [lesson.student] if lesson.student_id else []


def _is_minor(student) -> bool:
    age = user_age(user=student)
    return age is None or age < CONSENT_AGE


def _guardians_by_child(students: list) -> dict[int, list]:
    """Active guardians (Parent role) of the minors among `students` who want their children's lesson
    news, by child id: two queries for the whole batch."""
    minor_ids = {s.pk for s in students if _is_minor(s)}
    if not minor_ids:
        return {}
    links = list(
        GuardianLink.objects.filter(
            child_id__in=minor_ids,
            status=GuardianLinkStatus.ACTIVE,
            guardian__groups__name=Role.PARENT,
            guardian__is_active=True,
        )
        .select_related("guardian")
        .distinct()
    )
    opted_out = set(
        NotificationSettings.objects.filter(
            user_id__in={link.guardian_id for link in links}, children_lesson_changes=False
        ).values_list("user_id", flat=True)
    )
    found: dict[int, list] = {}
    for link in links:
        if link.guardian_id not in opted_out:
            found.setdefault(link.child_id, []).append(link.guardian)
    return found


def _due_reminders(now: datetime) -> list[_Due]:
    due: list[_Due] = []
    plans = [(lesson, _due_offsets(lesson, now)) for lesson in _candidate_lessons(now)]
    plans = [(lesson, offsets) for lesson, offsets in plans if offsets]
    guardians = _guardians_by_child([s for lesson, _o in plans for s in _students_of(lesson)])
    for lesson, offsets in plans:
        people: dict[int, tuple] = {lesson.teacher.user_id: (lesson.teacher.user, None)}
        for student in _students_of(lesson):
            people.setdefault(student.pk, (student, None))
            for guardian in guardians.get(student.pk, []):
                people.setdefault(guardian.pk, (guardian, student))
        for hours in offsets:
            due.extend(
                _Due(lesson, hours, person, child)
                for person, child in people.values()
                if person.is_active
            )
    return due


def _channels(user_ids: set[int]) -> dict[int, tuple[bool, bool]]:
    chosen = dict.fromkeys(user_ids, DEFAULT_CHANNELS[KIND])
    for user_id, in_app, email in NotificationPreference.objects.filter(
        user_id__in=user_ids, kind=KIND
    ).values_list("user_id", "in_app", "email"):
        chosen[user_id] = (in_app, email)
    return chosen


CLAIM_CHUNK = 1000  # rows per INSERT (5 parameters each: well under PostgreSQL's 65,535)


def _claim(due: list[_Due], now: datetime) -> set[tuple[int, int, int]]:
    """Insert the reminder rows; the (lesson, recipient, hours) of those this run inserted. A row
    another run (or another worker, even at this moment) already holds is left out: the unique
    constraint decides, and a concurrent insert waits for the other transaction to end."""
    table = connection.ops.quote_name(LessonReminder._meta.db_table)
    claimed: set[tuple[int, int, int]] = set()
    for first in range(0, len(due), CLAIM_CHUNK):
        chunk = due[first : first + CLAIM_CHUNK]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params = []
        for item in chunk:
            params += [item.lesson.pk, item.recipient.pk, item.hours_before, item.lesson.start, now]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (lesson_id, recipient_id, hours_before, lesson_start, sent_at) "  # noqa: S608  (only placeholders are interpolated)
                f"VALUES {values} ON CONFLICT DO NOTHING "
                "RETURNING lesson_id, recipient_id, hours_before",
                params,
            )
            claimed |= {tuple(row) for row in cursor.fetchall()}
    return claimed


def _titles(lesson: Lesson, viewer) -> dict[str, str]:
    """The lesson's name for `viewer` in each of the site's languages, kept with the notification so
    the feed shows it without loading the lesson (and as it was when the reminder went)."""
    titles = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles[code] = lesson.title_for(viewer)
    return titles


def lesson_reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders due at `now` (see the module's docstring); the number of notifications
    made. Safe to run at any time, as often as wanted, by several workers at once."""
    now = now or timezone.now()
    due = _due_reminders(now)
    channels = _channels({item.recipient.pk for item in due})
    due = [item for item in due if any(channels[item.recipient.pk])]
    if not due:
        return 0
    with transaction.atomic():
        # Found before this transaction: a lesson cancelled or moved since is not reminded. The lock
        # makes a cancellation that starts now wait until these reminders are written.
        still = dict(
            Lesson.objects.select_for_update()
            .filter(pk__in={item.lesson.pk for item in due}, status=LessonStatus.SCHEDULED)
            .order_by("pk")
            .values_list("pk", "start")
        )
        due = [item for item in due if still.get(item.lesson.pk) == item.lesson.start]
        claimed = _claim(due, now)
        notifications = []
        for item in due:
            if (item.lesson.pk, item.recipient.pk, item.hours_before) not in claimed:
                continue
            in_app, email = channels[item.recipient.pk]
            with translation.override(settings.LANGUAGE_CODE):  # the unprefixed path
                url = reverse("lesson-detail", args=[item.lesson.pk])
            notification = Notification(
                recipient=item.recipient,
                kind=KIND,
                child=item.child,
                # The lesson as loaded (teacher, student, course): the words need no query.
                target=item.lesson,
                url=url,
                data={
                    "lesson": item.lesson.pk,
                    "titles": _titles(item.lesson, item.recipient),
                    "start": item.lesson.start.isoformat(),
                    "end": item.lesson.end.isoformat(),
                    "hours_before": item.hours_before,
                },
                in_app=in_app,
                email_state=EmailState.SENT if email else EmailState.NONE,
                created_at=now,
            )
            notifications.append(notification)
        Notification.objects.bulk_create(notifications)
        emails = []
        for notification in notifications:
            if notification.email_state == EmailState.SENT:
                emails.append(notification_email(notification))
        if emails:
            get_connection().send_messages(emails)
    return len(notifications)
