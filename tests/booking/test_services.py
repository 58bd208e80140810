"""Booking, series, cancellation and rescheduling rules, through the services."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.choices import BillingOutcome, LessonStatus
from classroom.models import Lesson
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher, student_get_for_booking
from classroom.scheduling.services import (
    lesson_book,
    lesson_cancel,
    lesson_reschedule,
    series_book,
    series_cancel,
    time_off_add,
)
from cplatform.exceptions import Conflict, NotFound, ValidationFailed
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead, student, weeks_later

pytestmark = pytest.mark.django_db


def book(teacher, learner, start, length=60, actor=None):
    return lesson_book(
        actor=actor or learner, teacher=teacher, student=learner, start=start, length=length
    )


def test_student_cannot_book_a_slot_that_overlaps_another_lesson_of_the_teacher():
    teacher = bookable_teacher()
    start = days_ahead(3)
    book(teacher, student(), start)
    with pytest.raises(Conflict):
        book(teacher, student(), start + timedelta(minutes=30))
    assert Lesson.objects.filter(teacher=teacher).count() == 1


def test_back_to_back_lessons_are_allowed():
    teacher = bookable_teacher()
    start = days_ahead(3)
    book(teacher, student(), start)
    book(teacher, student(), start + timedelta(hours=1))
    book(teacher, student(), start - timedelta(hours=1))
    assert Lesson.objects.filter(teacher=teacher).count() == 3


def test_a_cancelled_lesson_frees_its_slot():
    teacher = bookable_teacher()
    first = student()
    start = days_ahead(5)
    lesson = book(teacher, first, start)
    lesson_cancel(lesson=lesson, actor=first)
    again = book(teacher, student(), start)
    assert again.status == LessonStatus.SCHEDULED


def test_student_cannot_book_two_teachers_at_the_same_time():
    learner = student()
    start = days_ahead(4)
    book(bookable_teacher(), learner, start)
    with pytest.raises(Conflict):
        book(bookable_teacher(), learner, start + timedelta(minutes=15), length=30)


def test_the_database_refuses_overlapping_lessons_written_around_the_service():
    teacher = bookable_teacher()
    lesson = book(teacher, student(), days_ahead(3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.create(
            teacher=teacher,
            student=student(),
            booked_by=lesson.booked_by,
            start=lesson.start + timedelta(minutes=59),
            end=lesson.end + timedelta(minutes=59),
        )


def test_the_buffer_keeps_time_free_around_a_lesson():
    teacher = bookable_teacher(buffer_minutes=15)
    start = days_ahead(3)
    book(teacher, student(), start)
    with pytest.raises(Conflict):
        book(teacher, student(), start + timedelta(hours=1))
    book(teacher, student(), start + timedelta(hours=1, minutes=15), length=45)


def test_booking_refuses_a_length_the_teacher_does_not_offer():
    with pytest.raises(ValidationFailed) as exc:
        book(bookable_teacher(lesson_lengths=[45]), student(), days_ahead(3), length=60)
    assert "length" in exc.value.errors


def test_booking_refuses_a_time_outside_the_weekly_availability():
    start = days_ahead(3, hour=9)
    teacher = bookable_teacher(rules=[(start.weekday(), time(17), time(20))])
    with pytest.raises(ValidationFailed):
        book(teacher, student(), start)


def test_booking_refuses_too_little_notice_and_beyond_the_horizon():
    teacher = bookable_teacher(min_notice_minutes=48 * 60, horizon_days=10)
    with pytest.raises(ValidationFailed):
        book(teacher, student(), days_ahead(1))
    with pytest.raises(ValidationFailed):
        book(teacher, student(), days_ahead(12))
    book(teacher, student(), days_ahead(5))


def test_time_off_removes_slots_and_refuses_bookings():
    teacher = bookable_teacher()
    start = days_ahead(6)
    time_off_add(teacher=teacher, start=start - timedelta(hours=2), end=start + timedelta(hours=2))
    _length, slots = slots_for_teacher(
        teacher=teacher,
        query=SlotQuery(start=start - timedelta(hours=3), end=start + timedelta(hours=3)),
    )
    assert all(e <= start - timedelta(hours=2) or s >= start + timedelta(hours=2) for s, e in slots)
    assert slots  # the hours around the time off are still offered
    with pytest.raises(ValidationFailed):
        book(teacher, student(), start)


def test_slots_leave_out_booked_lessons_and_their_buffer():
    teacher = bookable_teacher(buffer_minutes=30, lesson_lengths=[60])
    start = days_ahead(3)
    book(teacher, student(), start)
    _length, slots = slots_for_teacher(
        teacher=teacher,
        query=SlotQuery(start=start - timedelta(hours=4), end=start + timedelta(hours=4)),
    )
    for s, e in slots:
        assert e <= start - timedelta(minutes=30) or s >= start + timedelta(minutes=90)


def test_a_parent_books_for_a_linked_child_and_not_for_another_student():
    parent = UserFactory(roles=[Role.PARENT])
    child = student()
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    assert student_get_for_booking(user=parent, student_id=child.pk) == child
    with pytest.raises(NotFound):
        student_get_for_booking(user=parent, student_id=student().pk)
    lesson = book(bookable_teacher(), child, days_ahead(3), actor=parent)
    assert lesson.booked_by == parent
    assert lesson.student == child


def test_a_teacher_cannot_book_themself():
    teacher = bookable_teacher()
    with pytest.raises(ValidationFailed):
        book(teacher, teacher.user, days_ahead(3))


def test_a_series_is_all_or_nothing_and_names_every_conflicting_date():
    teacher = bookable_teacher()
    first = days_ahead(3)
    book(teacher, student(), weeks_later(first, 1))
    book(teacher, student(), weeks_later(first, 3))
    learner = student()
    with pytest.raises(Conflict) as exc:
        series_book(
            actor=learner, teacher=teacher, student=learner, first_start=first, length=60, count=5
        )
    assert len(exc.value.errors["dates"]) == 2
    assert not Lesson.objects.filter(student=learner).exists()


def test_a_series_until_a_date_books_each_week_up_to_it():
    teacher = bookable_teacher()
    first = days_ahead(3)
    learner = student()
    series = series_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        first_start=first,
        length=60,
        until=weeks_later(first, 3).date(),
    )
    assert series.lessons.count() == 4


def test_student_cancelling_before_the_cutoff_is_free():
    learner = student()
    lesson = book(bookable_teacher(cancellation_cutoff_hours=24), learner, days_ahead(3))
    lesson = lesson_cancel(lesson=lesson, actor=learner)
    assert lesson.status == LessonStatus.CANCELLED
    assert not lesson.cancelled_late
    assert lesson.billing_outcome == BillingOutcome.REFUND
    assert lesson.cancelled_by == learner


def test_student_cancelling_after_the_cutoff_counts_as_taken():
    learner = student()
    teacher = bookable_teacher(cancellation_cutoff_hours=24)
    lesson = book(teacher, learner, days_ahead(3))
    lesson = lesson_cancel(lesson=lesson, actor=learner, now=lesson.start - timedelta(hours=2))
    assert lesson.cancelled_late
    assert lesson.billing_outcome == BillingOutcome.CHARGE


def test_teacher_cancelling_is_always_free_even_late():
    teacher = bookable_teacher(cancellation_cutoff_hours=24, free_cancellation_outcome="credit")
    lesson = book(teacher, student(), days_ahead(3))
    lesson = lesson_cancel(lesson=lesson, actor=teacher.user, now=lesson.start - timedelta(hours=1))
    assert not lesson.cancelled_late
    assert lesson.billing_outcome == BillingOutcome.CREDIT


def test_a_cancelled_lesson_cannot_be_cancelled_again():
    learner = student()
    lesson = lesson_cancel(lesson=book(bookable_teacher(), learner, days_ahead(3)), actor=learner)
    with pytest.raises(Conflict):
        lesson_cancel(lesson=lesson, actor=learner)


def test_student_reschedules_before_the_cutoff_but_not_after():
    learner = student()
    teacher = bookable_teacher(cancellation_cutoff_hours=24)
    lesson = book(teacher, learner, days_ahead(3))
    moved = lesson_reschedule(lesson=lesson, actor=learner, start=days_ahead(4))
    assert moved.start == days_ahead(4)
    with pytest.raises(Conflict):
        lesson_reschedule(
            lesson=moved, actor=learner, start=days_ahead(5), now=moved.start - timedelta(hours=3)
        )
    assert lesson_reschedule(
        lesson=moved, actor=teacher.user, start=days_ahead(5), now=moved.start - timedelta(hours=3)
    ).start == days_ahead(5)


def test_rescheduling_onto_another_lesson_is_a_conflict_and_its_own_buffer_does_not_count():
    teacher = bookable_teacher(buffer_minutes=30)
    learner = student()
    lesson = book(teacher, learner, days_ahead(3))
    other = book(teacher, student(), days_ahead(4))
    with pytest.raises(Conflict):
        lesson_reschedule(lesson=lesson, actor=learner, start=other.start)
    shifted = lesson.start + timedelta(hours=1)  # inside the lesson's own buffer: fine
    assert lesson_reschedule(lesson=lesson, actor=learner, start=shifted).start == shifted


def test_slot_computation_takes_the_same_queries_for_a_busy_teacher(django_assert_num_queries):
    from tests.query_budget import assert_constant_queries

    teacher = bookable_teacher(lesson_lengths=[30])
    now = timezone.now()
    query = SlotQuery(start=now, end=now + timedelta(days=14), length=30)

    def grow():
        for n in range(60):
            book(teacher, student(), days_ahead(1 + n % 13, hour=4 + n // 13 * 3), length=30)

    assert_constant_queries(
        lambda: slots_for_teacher(teacher=teacher, query=query),
        grow=grow,
        budget=4,
        expect_status=None,  # a selector call, not a request
        rows=lambda result: -len(result[1]),  # booked slots are no longer free
    )


def test_cancelling_a_series_cancels_only_its_lessons_still_to_come():
    teacher = bookable_teacher()
    learner = student()
    series = series_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        first_start=days_ahead(3),
        length=60,
        count=3,
    )
    first = series.lessons.order_by("start").first()
    cancelled = series_cancel(
        series=series, actor=teacher.user, now=first.start + timedelta(minutes=30)
    )
    assert len(cancelled) == 2
    first.refresh_from_db()
    assert first.status == LessonStatus.SCHEDULED
    assert all(lesson.billing_outcome == BillingOutcome.REFUND for lesson in cancelled)
