"""Group courses with enrolled students, sessions and started lessons, built through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from classroom.models import Lesson, TeacherProfile
from classroom.teaching.services import group_session_create
from courses.choices import CourseFormat
from tests.booking.factories import days_ahead
from tests.courses.factories import CourseFactory, EnrollmentFactory


def group_course(*, teacher, students=(), capacity=10, **kwargs):
    """A published free group course of `teacher` with `students` actively enrolled (rows written
    directly, in order, before any session exists)."""
    course = CourseFactory(owner=teacher, format=CourseFormat.GROUP, capacity=capacity, **kwargs)
    for n, student in enumerate(students):
        EnrollmentFactory(
            course=course, student=student, created_at=timezone.now() + timedelta(seconds=n)
        )
    return course


def session(*, course, actor=None, day=7, hour=9, length=60, **kwargs) -> Lesson:
    return group_session_create(
        actor=actor or course.owner,
        course=course,
        start=days_ahead(day, hour=hour),
        length=length,
        **kwargs,
    )


def started_lesson(*, teacher, student=None, course=None, minutes_ago=30, length=60) -> Lesson:
    """A lesson that began `minutes_ago` (written directly: booking refuses the past). A 1:1 lesson
    with `student`, or a group session of `course`."""
    start = timezone.now() - timedelta(minutes=minutes_ago)
    profile = TeacherProfile.objects.get(user=teacher)
    if student is not None:
        return Lesson.objects.create(
            teacher=profile,
            student=student,
            booked_by=student,
            course=course,
            start=start,
            end=start + timedelta(minutes=length),
        )
    return Lesson.objects.create(
        teacher=profile,
        kind="group",
        course=course,
        title=course.title,
        capacity=course.capacity,
        booked_by=teacher,
        start=start,
        end=start + timedelta(minutes=length),
    )
