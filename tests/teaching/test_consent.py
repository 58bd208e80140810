"""The guardian-consent gate on taking a group-session seat: a live session is contact with a teacher.
A child enrolled before the gate (or whose guardian's consent ended) takes no seat until a guardian
consents; the API says why with a code, the lesson page with a link."""

import pytest

from authentication.services import guardian_consent, guardian_decline_or_remove
from classroom.models import LessonSeat
from classroom.teaching.services import seat_take
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import child
from tests.authentication.factories import PASSWORD
from tests.conftest import login_token
from tests.courses.factories import EnrollmentFactory
from tests.teaching.factories import group_course, session

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
