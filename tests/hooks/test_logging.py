"""The services' module loggers: refusals (info), conflicts answered 409 (warning), money outcomes."""

import logging

import pytest

from classroom.scheduling.services import lesson_book, lesson_cancel
from cplatform.exceptions import Conflict, ValidationFailed
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db
SCHEDULING = "classroom.scheduling.services"


def book(teacher, learner, day=3, length=60, **kwargs):
    return lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(day),
        length=length,
        **kwargs,
    )


def records(caplog, level):
    return [r.getMessage() for r in caplog.records if r.name == SCHEDULING and r.levelno == level]


def test_a_refused_booking_is_logged_at_info(caplog):
    teacher = bookable_teacher(horizon_days=2)
    with caplog.at_level(logging.INFO, logger=SCHEDULING), pytest.raises(ValidationFailed):
        book(teacher, student(), day=5)
    assert any(
        "lesson_book refused (422, beyond_horizon)" in m for m in records(caplog, logging.INFO)
    )


def test_a_booking_conflict_is_logged_as_a_warning(caplog):
    teacher = bookable_teacher()
    book(teacher, student())
    with caplog.at_level(logging.INFO, logger=SCHEDULING), pytest.raises(Conflict):
        book(teacher, student())
    assert any("(409, slot_taken)" in m for m in records(caplog, logging.WARNING))


def test_the_billing_outcome_of_a_cancellation_and_package_use_are_logged(caplog):
    teacher, learner = bookable_teacher(), student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=3)
    EnrollmentFactory(course=course, student=learner)
    with caplog.at_level(logging.INFO, logger=SCHEDULING):
        lesson = book(teacher, learner, course_id=course.pk)
        lesson_cancel(lesson=lesson, actor=teacher.user)
    infos = records(caplog, logging.INFO)
    assert any(f"student {learner.pk} takes lesson 1 of 3" in m for m in infos), infos
    assert any(
        f"Lesson {lesson.pk} cancelled by user {teacher.user.pk}: late=False, billing outcome refund"
        in m
        for m in infos
    ), infos
