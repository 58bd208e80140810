"""Lessons made straight with the ORM (any instant, past or future, both kinds) for feed and page tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from classroom.choices import LessonKind, LessonStatus
from classroom.models import Lesson, LessonSeat


def private_lesson(*, teacher, student, start: datetime, minutes: int = 60, **fields) -> Lesson:
    return Lesson.objects.create(
        teacher=teacher,
        student=student,
        booked_by=student,
        start=start,
        end=start + timedelta(minutes=minutes),
        **fields,
    )


def group_session(
    *, teacher, course, start: datetime, minutes: int = 60, seats=(), capacity: int = 8, **fields
) -> Lesson:
    lesson = Lesson.objects.create(
        teacher=teacher,
        kind=LessonKind.GROUP,
        course=course,
        capacity=capacity,
        booked_by=teacher.user,
        start=start,
        end=start + timedelta(minutes=minutes),
        **fields,
    )
    for student in seats:
        LessonSeat.objects.create(lesson=lesson, student=student, booked_by=student)
    return lesson


def cancelled(lesson: Lesson) -> Lesson:
    lesson.status = LessonStatus.CANCELLED
    lesson.sequence += 1
    lesson.save()
    return lesson
