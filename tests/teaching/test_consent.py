"""The guardian-consent gate on group-session seats: a live session is contact with a teacher. A child
enrolled before the gate (or whose guardian's consent ended) takes no seat until a guardian consents;
the API says why with a code, the lesson page with a link. Nor is such a child seated by a new session
or by an enrolment made active: those pass over them without failing, and the teacher is told."""

import pytest
from django.urls import reverse

from authentication.services import guardian_consent, guardian_decline_or_remove
from classroom.models import Lesson, LessonSeat
from classroom.teaching.selectors import session_students_held_by_consent
from classroom.teaching.services import seat_take, seats_give_for_enrollment
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import child, set_birthday
from tests.authentication.factories import PASSWORD, StudentFactory
from tests.booking.factories import days_ahead
from tests.conftest import login_token
from tests.courses.factories import EnrollmentFactory
from tests.query_budget import assert_constant_queries
from tests.teaching.factories import group_course, session
from tests.teaching.test_pages import wall_clock

pytestmark = pytest.mark.django_db


def enrolled_child_without_consent(people):
    """A child enrolled (rows written directly, as before the gate) in a group course with a session."""
    kid, parent = child(age=12)
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    EnrollmentFactory(course=course, student=kid)
    return kid, parent, lesson


def test_a_child_without_consent_takes_no_seat_and_the_parent_cannot_take_it_for_them(people):
    kid, parent, lesson = enrolled_child_without_consent(people)
    for actor in (kid, parent):
        with pytest.raises(PermissionDenied) as refused:
            seat_take(actor=actor, lesson=lesson, student=kid)
        assert refused.value.code == "guardian_consent_required"
    assert not LessonSeat.objects.filter(student=kid).exists()
    guardian_consent(link=kid.guardian_links.get(), actor=parent)
    seat_take(actor=kid, lesson=lesson, student=kid)
    assert LessonSeat.objects.filter(student=kid, cancelled_at=None).exists()


def test_consent_ended_with_the_link_stops_new_seats(people):
    kid, parent = child(age=12, consent=True)
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    EnrollmentFactory(course=course, student=kid)
    guardian_decline_or_remove(link=kid.guardian_links.get(), actor=parent)
    with pytest.raises(PermissionDenied):
        seat_take(actor=kid, lesson=lesson, student=kid)


def test_the_seat_api_answers_403_with_the_code(client, people):
    kid, parent, lesson = enrolled_child_without_consent(people)
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, kid.email, PASSWORD)}
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/seat", {}, content_type="application/json", **headers
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "guardian_consent_required"
    assert not LessonSeat.objects.filter(student=kid).exists()


def test_the_lesson_page_says_what_to_do_next(client, people):
    kid, parent, lesson = enrolled_child_without_consent(people)
    client.force_login(parent)
    response = client.post(
        f"/lessons/{lesson.pk}/", {"action": "take", "student_id": kid.pk}, follow=True
    )
    html = response.content.decode()
    assert "Your child needs your consent" in html
    assert 'href="/auth/guardians/"' in html
    assert not LessonSeat.objects.filter(student=kid).exists()


# Seats handed out without the student asking: a new session, an enrolment made active.


def held_and_free_students():
    """In enrolment order: a child without consent, an adult, a child whose guardian ended the link
    (consent went with it), a student with no date of birth, a child with consent, another adult."""
    no_consent, _parent = child(age=12)
    ended, ended_parent = child(age=13, consent=True)
    guardian_decline_or_remove(link=ended.guardian_links.get(), actor=ended_parent)
    no_date = StudentFactory()
    set_birthday(no_date, None)
    consented, _parent = child(age=14, consent=True)
    first_adult, second_adult = StudentFactory(), StudentFactory()
    return [no_consent, first_adult, ended, no_date, consented, second_adult]


def test_a_new_session_seats_only_the_enrolled_students_the_consent_gate_lets_through(people):
    students = held_and_free_students()
    no_consent, first_adult, ended, no_date, consented, second_adult = students
    course = group_course(teacher=people.teacher, students=students)
    lesson = session(course=course, capacity=3)  # the held students take none of the 3 seats
    assert list(
        lesson.seats.filter(cancelled_at=None).order_by("pk").values_list("student_id", flat=True)
    ) == [first_adult.pk, consented.pk, second_adult.pk]
    assert session_students_held_by_consent(lesson=lesson) == 3


def test_creating_a_session_takes_the_same_queries_for_few_or_many_enrolled_students(people):
    course = group_course(teacher=people.teacher, students=held_and_free_students(), capacity=100)
    hours = iter(range(7, 22))

    def grow():
        for _n in range(5):
            EnrollmentFactory(course=course, student=child(age=12)[0])
            EnrollmentFactory(course=course, student=StudentFactory())

    assert_constant_queries(
        lambda: session(course=course, hour=next(hours)),
        grow=grow,
        expect_status=None,  # a service call, not a request
        rows=lambda lesson: lesson.seats.filter(cancelled_at=None).count(),  # more seated
    )
    latest = Lesson.objects.filter(course=course).latest("start")
    assert latest.seats.count() == course.enrollments.count() - 3 - 5


def test_a_student_made_active_while_held_gets_no_seats_in_upcoming_sessions(people):
    kid, _parent = child(age=12)
    course = group_course(teacher=people.teacher)
    session(course=course, day=7)
    session(course=course, day=8)
    enrollment = EnrollmentFactory(course=course, student=kid)
    assert seats_give_for_enrollment(enrollment=enrollment) == 0
    assert not LessonSeat.objects.filter(student=kid).exists()


def test_the_teacher_is_told_how_many_enrolled_students_got_no_seat(client, people):
    course = group_course(teacher=people.teacher, students=held_and_free_students())
    client.force_login(people.teacher)
    response = client.post(
        reverse("session-create", kwargs={"course_id": course.pk}),
        {"start": wall_clock(days_ahead(5, hour=18), people.teacher), "length": 60},
        follow=True,
    )
    html = response.content.decode()
    assert "The session is scheduled." in html
    assert "3 enrolled students were not given a seat" in html
    lesson = Lesson.objects.get(course=course)
    assert lesson.seats.count() == 3
    # Everyone seated: nothing more to say.
    other = group_course(teacher=people.teacher, students=[StudentFactory()])
    response = client.post(
        reverse("session-create", kwargs={"course_id": other.pk}),
        {"start": wall_clock(days_ahead(6, hour=18), people.teacher), "length": 60},
        follow=True,
    )
    assert "not given a seat" not in response.content.decode()
