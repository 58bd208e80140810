"""Slots of a busy teacher: the same queries for 10 lessons as for 1,000 (1:1 lessons and group sessions
with seats), through the selector and through GET /api/v1/slots."""

from datetime import timedelta

import pytest

from classroom.choices import LessonKind
from classroom.models import Lesson, LessonSeat
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.courses.factories import CourseFactory
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db


def _fill(teacher, *, first: int, count: int, learners) -> None:
    """`count` 30-minute lessons on every other half hour from the `first`-th on (never overlapping),
    every tenth a group session with two seats."""
    origin = days_ahead(1, hour=0)
    course = CourseFactory(owner=teacher.user)
    lessons = []
    for n in range(first, first + count):
        start = origin + timedelta(hours=n)
        group = n % 10 == 9
        lessons.append(
            Lesson(
                kind=LessonKind.GROUP if group else LessonKind.PRIVATE,
                course=course if group else None,
                capacity=2 if group else None,
                title="Session" if group else "",
                teacher=teacher,
                student=None if group else learners[n % len(learners)],
                booked_by=teacher.user if group else learners[n % len(learners)],
                start=start,
                end=start + timedelta(minutes=30),
            )
        )
    Lesson.objects.bulk_create(lessons)
    LessonSeat.objects.bulk_create(
        LessonSeat(lesson=lesson, student=learner, booked_by=learner, created_at=lesson.start)
        for lesson in lessons
        if lesson.kind == LessonKind.GROUP
        for learner in learners[:2]
    )


@pytest.fixture
def busy():
    teacher = bookable_teacher(lesson_lengths=[30])
    learners = [student() for _ in range(5)]
    _fill(teacher, first=0, count=10, learners=learners)
    return teacher, lambda: _fill(teacher, first=10, count=990, learners=learners)


def slots_taken(response) -> int:
    """Grows as lessons take the teacher's slots: minus the number of free slots listed."""
    return -len(response.json()["slots"])


def test_slots_for_a_teacher_with_10_or_1000_lessons_take_the_same_queries(busy):
    teacher, grow = busy
    start = days_ahead(1, hour=0)
    query = SlotQuery(start=start, end=start + timedelta(days=31), length=30)
    before = len(slots_for_teacher(teacher=teacher, query=query)[1])

    queries = assert_constant_queries(
        lambda: slots_for_teacher(teacher=teacher, query=query),
        grow=grow,
        budget=4,
        expect_status=None,  # a selector call, not a request
        rows=lambda result: -len(result[1]),  # the new lessons take slots: fewer are free
    )

    after = len(slots_for_teacher(teacher=teacher, query=query)[1])
    assert Lesson.objects.filter(teacher=teacher).count() == 1000
    assert after < before - 600  # the lessons really take the slots in the window
    print(f"slots_for_teacher: {queries} queries for 10 and for 1000 lessons")


def test_the_slots_api_for_a_teacher_with_10_or_1000_lessons_takes_the_same_queries(client, busy):
    teacher, grow = busy
    start = days_ahead(1, hour=0)
    params = {
        "teacher_id": teacher.pk,
        "from": start.isoformat(),
        "to": (start + timedelta(days=31)).isoformat(),
        "length": 30,
    }
    before = client.get("/api/v1/slots", params).json()["slots"]

    queries = assert_constant_queries(
        lambda: client.get("/api/v1/slots", params),
        grow=grow,
        budget=8,
        rows=slots_taken,
    )

    after = client.get("/api/v1/slots", params).json()["slots"]
    assert len(after) < len(before) - 600
    print(f"GET /api/v1/slots: {queries} queries for 10 and for 1000 lessons")
