"""A course may set its own cancellation policy (cut-off and what a free cancellation gives back);
its lessons follow it, other lessons follow the teacher's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from cplatform.exceptions import Conflict
from tests.authentication.factories import PASSWORD
from tests.booking.factories import bookable_teacher, student
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def _in_hours(hours: int):
    """A whole hour `hours` from now (the test teacher is available all day)."""
    return (timezone.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def _setup(**course_policy):
    teacher = bookable_teacher(
        lesson_lengths=[60], cancellation_cutoff_hours=24, free_cancellation_outcome="refund"
    )
    learner = student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", **course_policy)
    EnrollmentFactory(course=course, student=learner)
    return teacher, learner, course


def _book(teacher, learner, course, hours):
    return lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=_in_hours(hours),
        length=60,
        course_id=course.pk if course else None,
    )


def test_a_course_cut_off_of_48_hours_makes_a_cancellation_30_hours_ahead_late():
    teacher, learner, course = _setup(cancellation_cutoff_hours=48)
    in_course = lesson_cancel(lesson=_book(teacher, learner, course, 31), actor=learner)
    single = lesson_cancel(lesson=_book(teacher, learner, None, 33), actor=learner)
    assert (in_course.cancelled_late, in_course.billing_outcome) == (True, "charge")
    assert (single.cancelled_late, single.billing_outcome) == (
        False,
        "refund",
    )  # the teacher's 24 h


def test_a_course_outcome_of_credit_replaces_the_teachers_refund():
    teacher, learner, course = _setup(free_cancellation_outcome="credit")
    cancelled = lesson_cancel(lesson=_book(teacher, learner, course, 72), actor=learner)
    assert (cancelled.cancelled_late, cancelled.billing_outcome) == (False, "credit")


def test_a_shorter_course_cut_off_still_allows_rescheduling_inside_the_teachers():
    teacher, learner, course = _setup(cancellation_cutoff_hours=2)
    lesson = _book(
        teacher, learner, course, 10
    )  # inside the teacher's 24 h, outside the course's 2 h
    moved = lesson_reschedule(lesson=lesson, actor=learner, start=_in_hours(12))
    assert moved.start == _in_hours(12)
    single = _book(teacher, learner, None, 14)
    with pytest.raises(Conflict):
        lesson_reschedule(lesson=single, actor=learner, start=_in_hours(16))


def test_the_teacher_sets_the_course_policy_through_the_api(client):
    teacher, _learner, course = _setup()
    token = login_token(client, teacher.user.email, PASSWORD)
    response = client.patch(
        f"/api/v1/courses/{course.pk}",
        {"cancellation_cutoff_hours": 48, "free_cancellation_outcome": "credit"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["cancellation_cutoff_hours"], body["free_cancellation_outcome"]) == (48, "credit")
    bad = client.patch(
        f"/api/v1/courses/{course.pk}",
        {"free_cancellation_outcome": "cash"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert bad.status_code == 422 and "free_cancellation_outcome" in bad.json()["errors"]


def test_the_teacher_sets_the_course_policy_on_the_course_form(client):
    teacher = bookable_teacher()
    client.force_login(teacher.user)
    form = {
        "title": "Exam coaching",
        "format": "one_to_one",
        "subject": "mathematics",
        "price": "0",
        "currency": "EUR",
        "cancellation_cutoff_hours": "48",
        "free_cancellation_outcome": "credit",
        "status": "draft",
    }
    assert client.post("/courses/teach/new/", form).status_code == 302
    course = teacher.user.owned_courses.get(title="Exam coaching")
    assert (course.cancellation_cutoff_hours, course.free_cancellation_outcome) == (48, "credit")
    refused = client.post(
        "/courses/teach/new/", {**form, "title": "Bad", "cancellation_cutoff_hours": "-1"}
    )
    assert (
        refused.status_code == 200 and "cancellation_cutoff_hours" in refused.context["form"].errors
    )
    assert not teacher.user.owned_courses.filter(title="Bad").exists()
