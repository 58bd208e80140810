"""1:1 courses sold as a package of lessons: an enrolment includes `lessons_included` lessons; a free
cancellation gives one back, a late one counts as taken; only 1:1 courses can be packages."""

import pytest

from classroom.scheduling.services import lesson_book, lesson_cancel
from courses.services import course_update
from cplatform.exceptions import Conflict, ValidationFailed
from tests.authentication.factories import PASSWORD
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def _package(teacher, learner, lessons=2):
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=lessons)
    EnrollmentFactory(course=course, student=learner)
    return course


def _book(teacher, learner, course, day):
    return lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(day, hour=10),
        length=60,
        course_id=course.pk,
    )


def test_a_package_of_two_lessons_refuses_a_third_and_a_free_cancellation_gives_one_back():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    course = _package(teacher, learner, lessons=2)
    first = _book(teacher, learner, course, 3)
    _book(teacher, learner, course, 4)
    with pytest.raises(Conflict) as refused:
        _book(teacher, learner, course, 5)
    assert "course_id" in refused.value.errors
    assert course.lessons.count() == 2  # nothing written

    lesson_cancel(lesson=first, actor=learner)  # days ahead: before the cut-off, free
    assert _book(teacher, learner, course, 5).course == course


def test_a_late_cancellation_uses_up_the_lesson():
    teacher = bookable_teacher(lesson_lengths=[60], cancellation_cutoff_hours=24 * 14)
    learner = student()
    course = _package(teacher, learner, lessons=1)
    lesson = _book(teacher, learner, course, 3)
    assert lesson_cancel(lesson=lesson, actor=learner).cancelled_late
    with pytest.raises(Conflict):
        _book(teacher, learner, course, 4)


def test_single_lessons_are_not_counted_and_only_1_to_1_courses_are_packages():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    course = CourseFactory(owner=teacher.user, format="one_to_one")
    EnrollmentFactory(course=course, student=learner)
    for day in (3, 4, 5):
        _book(teacher, learner, course, day)
    with pytest.raises(ValidationFailed) as refused:
        course_update(
            actor=teacher.user,
            course=CourseFactory(owner=teacher.user, format="group", capacity=5),
            data={"lessons_included": 10},
        )
    assert "lessons_included" in refused.value.errors


def test_a_teacher_sells_a_package_through_the_api_and_the_student_books_it(client):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    token = login_token(client, teacher.user.email, PASSWORD)
    created = client.post(
        "/api/v1/courses",
        {
            "title": "Ten lessons of exam coaching",
            "format": "one_to_one",
            "subject": "mathematics",
            "lessons_included": 1,
            "status": "published",
        },
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert created.status_code == 201, created.content
    assert created.json()["lessons_included"] == 1
    course_id = created.json()["id"]
    EnrollmentFactory(course_id=course_id, student=learner)
    token = login_token(client, learner.email, PASSWORD)

    def book(day):
        return client.post(
            "/api/v1/lessons",
            {
                "teacher_id": teacher.pk,
                "start": days_ahead(day, hour=10).isoformat(),
                "length": 60,
                "course_id": course_id,
            },
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=token,
        )

    assert book(3).status_code == 201
    refused = book(4)
    assert refused.status_code == 409
    assert set(refused.json()["errors"]) == {"course_id"}


def test_a_group_course_cannot_be_a_package_through_the_api(client):
    teacher = bookable_teacher()
    token = login_token(client, teacher.user.email, PASSWORD)
    response = client.post(
        "/api/v1/courses",
        {
            "title": "Group",
            "format": "group",
            "capacity": 8,
            "subject": "mathematics",
            "lessons_included": 4,
        },
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert "lessons_included" in response.json()["errors"]


def test_the_teacher_form_sets_the_package_and_the_course_facts_show_it(client):
    teacher = bookable_teacher()
    client.force_login(teacher.user)
    response = client.post(
        "/courses/teach/new/",
        {
            "title": "Exam coaching",
            "format": "one_to_one",
            "subject": "mathematics",
            "price": "200",
            "currency": "EUR",
            "lessons_included": "8",
            "status": "draft",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course = teacher.user.owned_courses.get(title="Exam coaching")
    assert course.lessons_included == 8
    assert "8 lessons" in client.get(f"/courses/teach/{course.pk}/").content.decode()
