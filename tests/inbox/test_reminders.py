"""Lesson reminders, 24 hours and 1 hour before: to whom, exactly once, never for a cancelled lesson or
a moved lesson's old time, in each person's language and zone. The scheduled task runs inline here
(its function, as the worker would call it); the suite's clock moves time."""

from __future__ import annotations

import pydoc
import threading
import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django_q.models import Schedule

from classroom.choices import LessonStatus
from classroom.models import Lesson, TeacherProfile
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from classroom.teaching.services import seat_release
from inbox.models import LessonReminder, Notification, NotificationKind, NotificationPreference
from inbox.notifications.models import NotificationSettings
from inbox.notifications.services import KIND_HEADER
from inbox.reminders.schedule import SCHEDULE
from inbox.reminders.tasks import send_lesson_reminders
from tests.authentication.consent import child, link
from tests.authentication.factories import ParentFactory, StudentFactory, TeacherFactory
from tests.booking.factories import at, bookable_teacher, coming_dst_change, days_ahead
from tests.outbox import send_outbox
from tests.query_budget import capture_queries, count_queries
from tests.teaching.factories import group_course, session

pytestmark = pytest.mark.django_db

KIND = NotificationKind.LESSON_REMINDER
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def book(*, teacher: TeacherProfile, student, start, actor=None) -> Lesson:
    return lesson_book(
        actor=actor or student, teacher=teacher, student=student, start=start, length=60
    )


def reminder_mail() -> list:
    """The reminder emails delivered so far (the lessons' other notifications have emails too)."""
    return [m for m in send_outbox() if m.extra_headers.get(KIND_HEADER) == "lesson_reminder"]


def run_at(clock, instant: datetime) -> int:
    clock.move_to(instant)
    return send_lesson_reminders()


def reminded(lesson: Lesson) -> list[tuple[int, int]]:
    """(recipient id, hours before) of the lesson's reminder notifications, sorted."""
    return sorted(
        (n.recipient_id, n.data["hours_before"])
        for n in Notification.objects.filter(kind=KIND, target_id=lesson.pk)
    )


def test_two_runs_inside_each_window_remind_the_student_and_teacher_once_per_offset(clock):
    teacher = bookable_teacher()
    student = StudentFactory()
    lesson = book(teacher=teacher, student=student, start=days_ahead(3))
    start = lesson.start
    people = sorted([student.pk, teacher.user_id])

    assert run_at(clock, start - timedelta(hours=24, minutes=1)) == 0  # not yet due
    assert run_at(clock, start - timedelta(hours=24)) == 2
    assert run_at(clock, start - timedelta(hours=23, minutes=55)) == 0  # same window, again
    assert run_at(clock, start - timedelta(hours=1, minutes=1)) == 0
    assert run_at(clock, start - timedelta(minutes=58)) == 2
    assert run_at(clock, start - timedelta(minutes=50)) == 0

    assert reminded(lesson) == sorted([(p, 24) for p in people] + [(p, 1) for p in people])
    assert LessonReminder.objects.filter(lesson=lesson, lesson_start=start).count() == 4
    assert sorted(m.to[0] for m in reminder_mail()) == sorted(
        [student.email, teacher.user.email] * 2
    )
    assert all(f"/lessons/{lesson.pk}/" in m.body for m in reminder_mail())


def test_a_worker_back_within_the_window_still_reminds_but_a_stale_reminder_is_dropped(clock):
    teacher = bookable_teacher()
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))

    # Down from before T−24h until 61 minutes after it: the 24 h reminder is no longer sent.
    assert run_at(clock, lesson.start - timedelta(hours=22, minutes=59)) == 0
    # Down for 15 minutes around T−1h: the 1 h reminder still goes.
    assert run_at(clock, lesson.start - timedelta(minutes=45)) == 2
    assert {n.data["hours_before"] for n in Notification.objects.filter(kind=KIND)} == {1}


def test_a_lesson_booked_after_its_24_hour_reminder_was_due_gets_only_the_1_hour_one(clock):
    teacher = bookable_teacher()
    start = days_ahead(3)
    clock.move_to(start - timedelta(hours=23, minutes=30))
    lesson = book(teacher=teacher, student=StudentFactory(), start=start)

    assert run_at(clock, start - timedelta(hours=23, minutes=25)) == 0
    assert run_at(clock, start - timedelta(hours=1)) == 2
    assert {n.data["hours_before"] for n in Notification.objects.filter(kind=KIND)} == {1}
    assert reminded(lesson)


def test_a_cancelled_lesson_is_never_reminded(clock):
    teacher = bookable_teacher()
    student = StudentFactory()
    lesson = book(teacher=teacher, student=student, start=days_ahead(3))
    lesson_cancel(lesson=lesson, actor=teacher.user, reason="Ill")

    assert run_at(clock, lesson.start - timedelta(hours=24)) == 0
    assert run_at(clock, lesson.start - timedelta(hours=1)) == 0
    assert not Notification.objects.filter(kind=KIND).exists()
    assert not LessonReminder.objects.exists()
    assert not reminder_mail()


def test_a_lesson_cancelled_after_its_24_hour_reminder_gets_no_1_hour_reminder(clock):
    teacher = bookable_teacher()
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))
    assert run_at(clock, lesson.start - timedelta(hours=24)) == 2
    lesson_cancel(lesson=lesson, actor=teacher.user)

    assert run_at(clock, lesson.start - timedelta(hours=1)) == 0
    assert {n.data["hours_before"] for n in Notification.objects.filter(kind=KIND)} == {24}


def test_a_moved_lesson_is_reminded_for_its_new_time_only(clock):
    teacher = bookable_teacher()
    student = StudentFactory()
    lesson = book(teacher=teacher, student=student, start=days_ahead(3))
    old_start = lesson.start
    assert run_at(clock, old_start - timedelta(hours=24)) == 2  # the old time's 24 h reminder
    clock.move_to(old_start - timedelta(hours=12))
    lesson = lesson_reschedule(lesson=lesson, actor=teacher.user, start=days_ahead(5))
    new_start = lesson.start

    assert run_at(clock, old_start - timedelta(hours=1)) == 0  # the old time's 1 h: never
    assert run_at(clock, new_start - timedelta(hours=24)) == 2
    assert run_at(clock, new_start - timedelta(hours=1)) == 2

    starts = {
        (n.data["hours_before"], n.data["start"])
        for n in Notification.objects.filter(kind=KIND, recipient=student)
    }
    assert starts == {
        (24, old_start.isoformat()),
        (24, new_start.isoformat()),
        (1, new_start.isoformat()),
    }


def test_each_person_reads_the_time_in_their_own_zone_and_language(clock):
    teacher = bookable_teacher(tz="America/New_York", first_name="Tom", last_name="Reed")
    student = StudentFactory(
        timezone="Europe/Madrid", language="es", first_name="Lucía", last_name="Gil"
    )
    lesson = book(teacher=teacher, student=student, start=days_ahead(3, hour=18))
    lesson.video_call_url = "https://meet.example.com/abc"
    lesson.save(update_fields=["video_call_url"])
    run_at(clock, lesson.start - timedelta(hours=24))

    by_person = {m.to[0]: m for m in reminder_mail()}
    spanish, english = by_person[student.email], by_person[teacher.user.email]
    with translation.override("es"):
        madrid_time = formats.date_format(lesson.start.astimezone(MADRID), "DATETIME_FORMAT")
    with translation.override("en"):
        new_york_time = formats.date_format(lesson.start.astimezone(NEW_YORK), "DATETIME_FORMAT")

    assert spanish.subject == f"Recordatorio: Clase con Tom Reed, {madrid_time}"
    assert "Tu clase empieza dentro de 24 horas" in spanish.body
    assert madrid_time in spanish.body and "(Europe/Madrid)" in spanish.body
    assert f"/es/lessons/{lesson.pk}/" in spanish.body
    assert "Únete a la videollamada: https://meet.example.com/abc" in spanish.body
    assert english.subject == f"Reminder: Lesson with Lucía Gil, {new_york_time}"
    assert "Your lesson starts in 24 hours" in english.body
    assert new_york_time in english.body and "(America/New_York)" in english.body
    assert f"/lessons/{lesson.pk}/" in english.body and "/es/" not in english.body
    assert madrid_time not in english.body


def test_an_in_person_lesson_says_where(clock):
    teacher = bookable_teacher()
    TeacherProfile.objects.filter(pk=teacher.pk).update(
        teaches_in_person=True, location="Calle Mayor 5, Madrid"
    )
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))
    Lesson.objects.filter(pk=lesson.pk).update(mode="in_person")
    run_at(clock, lesson.start - timedelta(hours=1))

    assert len(reminder_mail()) == 2
    assert all("In person, at Calle Mayor 5, Madrid" in m.body for m in reminder_mail())
    assert all(m.subject.startswith("In 1 hour: ") for m in reminder_mail())


@pytest.mark.parametrize("month", [3, 10])
def test_across_a_dst_change_reminders_come_24_hours_and_1_hour_before_in_real_time(clock, month):
    change = coming_dst_change(clock, "Europe/Madrid", month)
    teacher = bookable_teacher()
    student = StudentFactory()
    start = at(change, 10, tz="Europe/Madrid")  # 10:00 on the day the clocks change
    book(teacher=teacher, student=student, start=start)
    # "10:00 yesterday" on the wall clock is 23 or 25 real hours before: not the 24 h moment.
    same_wall_time_yesterday = at(change - timedelta(days=1), 10, tz="Europe/Madrid")
    assert abs(start - same_wall_time_yesterday) != timedelta(hours=24)
    if same_wall_time_yesterday < start - timedelta(hours=24):
        assert run_at(clock, same_wall_time_yesterday) == 0

    assert run_at(clock, start - timedelta(hours=24)) == 2
    assert run_at(clock, start - timedelta(hours=1)) == 2
    sent = sorted(
        (n.data["hours_before"], n.created_at)
        for n in Notification.objects.filter(kind=KIND, recipient=student)
    )
    assert [(h, start - created) for h, created in sent] == [
        (1, timedelta(hours=1)),
        (24, timedelta(hours=24)),
    ]
    assert sent[1][1].astimezone(MADRID).time() != time(10)  # the wall clock shows 09:00 or 11:00


def test_a_group_session_reminds_its_seated_students_and_teacher(clock):
    teacher = TeacherFactory()
    staying, leaving = StudentFactory(), StudentFactory()
    course = group_course(teacher=teacher, students=[staying, leaving])
    lesson = session(course=course, day=3)
    seat_release(actor=leaving, lesson=lesson, student=leaving)

    assert run_at(clock, lesson.start - timedelta(hours=1)) == 2
    assert reminded(lesson) == sorted([(staying.pk, 1), (teacher.pk, 1)])
    subjects = {m.to[0]: m.subject for m in reminder_mail()}
    assert course.title in subjects[staying.email]


def test_guardians_of_a_child_under_16_get_a_copy_unless_they_turned_it_off(clock):
    teacher = bookable_teacher()
    kid, parent = child(age=12, consent=True)
    quiet_parent = ParentFactory()
    link(quiet_parent, kid)
    NotificationSettings.objects.create(user=quiet_parent, children_lesson_changes=False)
    adult, adults_parent = StudentFactory(), ParentFactory()
    link(adults_parent, adult)
    lesson = book(teacher=teacher, student=kid, actor=parent, start=days_ahead(3))
    adults_lesson = book(teacher=teacher, student=adult, start=days_ahead(3, hour=12))

    run_at(clock, lesson.start - timedelta(hours=24))
    run_at(clock, adults_lesson.start - timedelta(hours=24))

    assert reminded(lesson) == sorted([(kid.pk, 24), (parent.pk, 24), (teacher.user_id, 24)])
    copy = Notification.objects.get(kind=KIND, recipient=parent)
    assert copy.child_id == kid.pk
    parents_email = next(m for m in reminder_mail() if m.to == [parent.email])
    assert f"{kid.name}'s lesson starts in 24 hours" in parents_email.body
    assert reminded(adults_lesson) == sorted([(adult.pk, 24), (teacher.user_id, 24)])


def test_a_person_who_turned_reminders_off_gets_none_and_in_app_only_gets_no_email(clock):
    teacher = bookable_teacher()
    student = StudentFactory()
    NotificationPreference.objects.create(user=student, kind=KIND, in_app=False, email=False)
    NotificationPreference.objects.create(user=teacher.user, kind=KIND, in_app=True, email=False)
    lesson = book(teacher=teacher, student=student, start=days_ahead(3))

    assert run_at(clock, lesson.start - timedelta(hours=24)) == 1
    assert reminded(lesson) == [(teacher.user_id, 24)]
    assert not reminder_mail()


def test_the_same_reminder_claimed_twice_is_sent_once(clock):
    """Two workers that found the same due reminder: the second one's claim inserts nothing."""
    from inbox.reminders import services

    teacher = bookable_teacher()
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))
    due = lesson.start - timedelta(hours=24)
    clock.move_to(due)
    found_by_first = services._due_reminders(due)
    found_by_second = services._due_reminders(due)

    assert len(services._claim(found_by_first, due)) == 2
    assert services._claim(found_by_second, due) == set()
    assert send_lesson_reminders() == 0


def _lessons_due_at(instant: datetime, count: int) -> None:
    """`count` 1:1 lessons (each its own teacher and student) starting 24 hours after `instant`,
    booked a week earlier; reminders by in-app only (each email is one outbox row, not measured)."""
    teachers = [TeacherFactory() for _ in range(count)]
    students = [StudentFactory() for _ in range(count)]
    Lesson.objects.bulk_create(
        Lesson(
            teacher=TeacherProfile.objects.get(user=t),
            student=s,
            booked_by=s,
            start=instant + timedelta(hours=24),
            end=instant + timedelta(hours=25),
        )
        for t, s in zip(teachers, students, strict=True)
    )
    Lesson.objects.update(created_at=instant - timedelta(days=7))
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=u, kind=KIND, in_app=True, email=False)
        for u in teachers + students
    )


def test_the_schedulers_query_count_does_not_grow_with_the_due_lessons(clock):
    instant = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    ContentType.objects.get_for_model(Lesson)  # a per-process cache, not what is measured
    _lessons_due_at(instant, 2)
    clock.move_to(instant)
    small, sent_small = count_queries(send_lesson_reminders)
    _lessons_due_at(instant, 40)
    clock.move_to(instant + timedelta(minutes=5))
    large, sent_large = count_queries(send_lesson_reminders)

    assert (sent_small, sent_large) == (4, 80)  # the new lessons' people, the first two's not again
    assert small == large
    assert Notification.objects.filter(kind=KIND).count() == 84


def test_the_feed_line_names_the_lesson_from_the_readers_side_in_their_language(clock):
    teacher = bookable_teacher(first_name="Tom", last_name="Reed")
    student = StudentFactory(language="es", first_name="Lucía", last_name="Gil")
    lesson = book(teacher=teacher, student=student, start=days_ahead(3))
    run_at(clock, lesson.start - timedelta(hours=1))

    for_student = Notification.objects.get(kind=KIND, recipient=student)
    with translation.override("es"), timezone.override(MADRID), capture_queries() as queries:
        line = render_to_string(
            "inbox/notifications/kinds/lesson_reminder.html", {"notification": for_student}
        )
    assert len(queries) == 0  # a feed of many reminders loads no lesson for them
    with translation.override("es"):
        when = formats.date_format(lesson.start.astimezone(MADRID), "DATETIME_FORMAT")
    assert line.strip() == f"Recordatorio: Clase con Tom Reed empieza dentro de 1 hora ({when})."
    for_teacher = Notification.objects.get(kind=KIND, recipient=teacher.user)
    with translation.override("en"):
        line = render_to_string(
            "inbox/notifications/kinds/lesson_reminder.html", {"notification": for_teacher}
        )
    assert line.strip().startswith("Reminder: Lesson with Lucía Gil starts in 1 hour (")


def test_the_reminders_run_every_five_minutes_on_the_worker():
    schedule = Schedule.objects.get(name=SCHEDULE)  # made by the inbox's reminders data migration

    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)
    assert pydoc.locate(schedule.func) is send_lesson_reminders


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_the_same_moment_remind_once(clock, monkeypatch):
    """Both workers find the same due reminders before either writes (a barrier holds them there),
    then both claim them in their own transactions: the unique row makes the second wait and insert
    nothing."""
    from django.db import connection

    from inbox.reminders import services

    teacher = bookable_teacher()
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))
    clock.move_to(lesson.start - timedelta(hours=24))
    both_found = threading.Barrier(2, timeout=30)
    channels = services._channels

    def found_then_wait(user_ids):
        both_found.wait()
        return channels(user_ids)

    monkeypatch.setattr(services, "_channels", found_then_wait)
    sent, errors = [], []

    def worker():
        try:
            sent.append(send_lesson_reminders())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(sent) == [0, 2]
    assert Notification.objects.filter(kind=KIND).count() == 2
    assert len(reminder_mail()) == 2


def test_a_lesson_cancelled_while_the_run_is_under_way_is_not_reminded(clock, monkeypatch):
    """The run found the lesson due; the teacher cancels it before the run writes anything."""
    from inbox.reminders import services

    teacher = bookable_teacher()
    lesson = book(teacher=teacher, student=StudentFactory(), start=days_ahead(3))
    clock.move_to(lesson.start - timedelta(hours=24))
    channels = services._channels

    def cancel_then_go_on(user_ids):
        lesson_cancel(lesson=lesson, actor=teacher.user)
        return channels(user_ids)

    monkeypatch.setattr(services, "_channels", cancel_then_go_on)

    assert send_lesson_reminders() == 0
    assert not LessonReminder.objects.exists()
    assert not reminder_mail()


@pytest.mark.parametrize("status", [s for s in LessonStatus.values if s != LessonStatus.SCHEDULED])
def test_only_a_scheduled_lesson_is_reminded(clock, status):
    """Completed, no-show, cancelled, and any state billing adds (a lesson held until paid)."""
    lesson = book(teacher=bookable_teacher(), student=StudentFactory(), start=days_ahead(3))
    # A held lesson always has its hold's expiry (a check constraint): at the latest, its start.
    held = {"hold_expires_at": lesson.start} if status == LessonStatus.HELD else {}
    Lesson.objects.filter(pk=lesson.pk).update(status=status, **held)

    assert run_at(clock, lesson.start - timedelta(hours=24)) == 0
    assert run_at(clock, lesson.start - timedelta(hours=1)) == 0
