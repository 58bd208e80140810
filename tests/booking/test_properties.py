"""Property: whatever bookings, cancellations and reschedules happen, no teacher and no student is ever
left with two overlapping non-cancelled lessons.

It runs twice: with PostgreSQL's exclusion constraints (migration classroom 0006), and with them dropped
inside the test's transaction (rolled back with it), so the second run proves the booking service's own
overlap check, the only one SQLite (dev) has, and not the database's."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classroom.choices import LessonStatus
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from cplatform.exceptions import DomainError
from tests.booking.factories import bookable_teacher, days_ahead, student

HALF_HOURS = 12  # candidate starts: every 30 minutes over six hours

book_op = st.tuples(
    st.just("book"),
    st.integers(0, 1),  # teacher
    st.integers(0, 2),  # student
    st.integers(0, HALF_HOURS - 1),
    st.sampled_from([30, 60]),
)
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 30), st.booleans())
move_op = st.tuples(st.just("reschedule"), st.integers(0, 30), st.integers(0, HALF_HOURS - 1))


def _assert_no_overlaps(field: str) -> None:
    live = Lesson.objects.exclude(status=LessonStatus.CANCELLED).order_by(field, "start")
    previous = None
    for lesson in live:
        if previous is not None and getattr(previous, field) == getattr(lesson, field):
            assert lesson.start >= previous.end, (field, previous.pk, lesson.pk)
        previous = lesson


def _exclusion_constraints() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'classroom_lesson'::regclass AND contype = 'x' ORDER BY conname"
        )
        return [name for (name,) in cursor.fetchall()]


def _drop_exclusion_constraints() -> None:
    """Drop the no-overlap constraints; DDL is transactional in PostgreSQL, so the test's rollback
    brings them back for the next test."""
    names = _exclusion_constraints()
    assert names, "classroom_lesson has no exclusion constraint to drop (migration 0006)"
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'ALTER TABLE classroom_lesson DROP CONSTRAINT "{name}"')
    assert _exclusion_constraints() == []


@pytest.mark.django_db
@pytest.mark.parametrize("constraints", ["kept", "dropped"])
def test_random_booking_sequences_never_leave_overlapping_lessons(constraints):
    if constraints == "dropped":
        _drop_exclusion_constraints()
    teachers = [bookable_teacher(lesson_lengths=[30, 60]) for _ in range(2)]
    students = [student() for _ in range(3)]
    base = days_ahead(3, hour=10)
    outcomes = {"booked": 0, "refused": 0, "back_to_back": 0}

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(ops=st.lists(st.one_of(book_op, cancel_op, move_op), min_size=1, max_size=25))
    def run(ops):
        with transaction.atomic():
            made: list[Lesson] = []
            for op in ops:
                try:
                    if op[0] == "book":
                        _name, t, s, slot, length = op
                        made.append(
                            lesson_book(
                                actor=students[s],
                                teacher=teachers[t],
                                student=students[s],
                                start=base + timedelta(minutes=30 * slot),
                                length=length,
                            )
                        )
                        outcomes["booked"] += 1
                    elif op[0] == "cancel" and made:
                        lesson = made[op[1] % len(made)]
                        actor = lesson.teacher.user if op[2] else lesson.student
                        lesson_cancel(lesson=lesson, actor=actor)
                    elif op[0] == "reschedule" and made:
                        lesson = made[op[1] % len(made)]
                        lesson_reschedule(
                            lesson=lesson,
                            actor=lesson.student,
                            start=base + timedelta(minutes=30 * op[2]),
                        )
                except DomainError:
                    outcomes["refused"] += 1
            _assert_no_overlaps("teacher_id")
            _assert_no_overlaps("student_id")
            live = list(Lesson.objects.exclude(status=LessonStatus.CANCELLED).order_by("start"))
            ends = {(x.teacher_id, x.end) for x in live}
            outcomes["back_to_back"] += sum((x.teacher_id, x.start) in ends for x in live)
            transaction.set_rollback(True)

    run()
    # The sequences did exercise both paths, and back-to-back lessons were accepted.
    assert outcomes["booked"] > 0
    assert outcomes["refused"] > 0
    assert outcomes["back_to_back"] > 0
