"""The guardian-consent gate on enrolment: a course with a price (a payment) or a teacher in the loop (a
group course's live sessions, a 1:1 course's lessons) needs it; a free self-paced course does not. In the
service, through the API and on the course page."""

from decimal import Decimal

import pytest

from authentication.services import guardian_consent
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Enrollment
from courses.services import enrollment_create, enrollment_needs_consent
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import child, set_birthday
from tests.authentication.factories import PASSWORD, StudentFactory
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.courses.page_helpers import live_course

pytestmark = pytest.mark.django_db


def paid_self_paced(**kwargs):
    return CourseFactory(
        format=CourseFormat.SELF_PACED, capacity=None, price=Decimal("40"), **kwargs
    )


def free_self_paced(**kwargs):
    return CourseFactory(format=CourseFormat.SELF_PACED, capacity=None, **kwargs)


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


# Which courses the gate covers


@pytest.mark.parametrize(
    ("course_kwargs", "gated"),
    [
        ({"format": CourseFormat.SELF_PACED, "capacity": None, "price": Decimal("40")}, True),
        ({"format": CourseFormat.GROUP, "price": Decimal("0")}, True),  # live sessions
        ({"format": CourseFormat.ONE_TO_ONE, "capacity": None, "price": Decimal("0")}, True),
        ({"format": CourseFormat.SELF_PACED, "capacity": None, "price": Decimal("0")}, False),
    ],
)
def test_which_enrolments_need_consent(course_kwargs, gated):
    assert enrollment_needs_consent(course=CourseFactory(**course_kwargs)) is gated


# Service


def test_a_child_without_consent_cannot_enrol_in_a_paid_course_nor_a_free_group_course():
    kid, _parent = child(age=13)
    for course in (paid_self_paced(), CourseFactory()):
        with pytest.raises(PermissionDenied) as refused:
            enrollment_create(actor=kid, course=course)
        assert refused.value.code == "guardian_consent_required"
    assert not Enrollment.objects.exists()


def test_a_child_without_consent_may_start_a_free_self_paced_course():
    kid, _parent = child(age=13)
    enrollment = enrollment_create(actor=kid, course=free_self_paced())
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_a_parent_without_consent_cannot_enrol_the_child_and_can_once_they_consent():
    kid, parent = child(age=11)
    course = paid_self_paced()
    with pytest.raises(PermissionDenied) as refused:
        enrollment_create(actor=parent, course=course, student=kid)
    assert refused.value.code == "guardian_consent_required"
    assert not Enrollment.objects.exists()

    guardian_consent(link=kid.guardian_links.get(), actor=parent)
    enrollment = enrollment_create(actor=parent, course=course, student=kid)
    assert enrollment.status == EnrollmentStatus.PENDING  # waits for the payment


def test_the_waitlist_of_a_gated_course_is_gated_too():
    kid, _parent = child(age=14)
    course = CourseFactory(capacity=1)
    EnrollmentFactory(course=course)
    with pytest.raises(PermissionDenied):
        enrollment_create(actor=kid, course=course, waitlist=True)
    assert course.enrollments.count() == 1


def test_a_paid_enrolment_needs_a_date_of_birth():
    learner = StudentFactory()
    set_birthday(learner, None)
    with pytest.raises(PermissionDenied) as refused:
        enrollment_create(actor=learner, course=paid_self_paced())
    assert refused.value.code == "date_of_birth_required"
    assert refused.value.errors["date_of_birth"]
    # Free and self-paced: no date of birth needed.
    assert enrollment_create(actor=learner, course=free_self_paced()).status == "active"


# API


def test_the_api_refuses_the_enrolment_with_a_code_and_enrols_nobody(client):
    kid, parent = child(age=13)
    course = paid_self_paced()
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk},
        content_type="application/json",
        **auth(client, kid),
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "guardian_consent_required"
    assert response.json()["errors"]["guardian_consent"]
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk, "student_id": kid.pk},
        content_type="application/json",
        **auth(client, parent),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "guardian_consent_required"
    assert not Enrollment.objects.exists()


def test_the_api_asks_for_a_date_of_birth_before_a_paid_enrolment(client):
    learner = StudentFactory()
    set_birthday(learner, None)
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": paid_self_paced().pk},
        content_type="application/json",
        **auth(client, learner),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "date_of_birth_required"
    assert not Enrollment.objects.exists()


# Page


def test_the_course_page_tells_the_child_what_to_do_next(client):
    kid, _parent = child(age=13)
    course = live_course(price=Decimal("25"))
    client.force_login(kid)
    response = client.post(f"/courses/{course.slug}/enrol/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "need a guardian&#x27;s consent" in html or "need a guardian's consent" in html
    assert 'href="/auth/guardians/"' in html
    assert "This enrolment is not possible" not in html
    assert not Enrollment.objects.exists()


def test_the_course_page_tells_the_parent_to_give_consent(client):
    kid, parent = child(age=13)
    course = live_course()
    client.force_login(parent)
    response = client.post(f"/courses/{course.slug}/enrol/", {"student_id": kid.pk}, follow=True)
    html = response.content.decode()
    assert "Your child needs your consent" in html
    assert 'href="/auth/guardians/"' in html
    assert not Enrollment.objects.exists()


def test_the_course_page_asks_for_the_date_of_birth(client):
    learner = StudentFactory()
    set_birthday(learner, None)
    course = live_course(price=Decimal("25"))
    client.force_login(learner)
    response = client.post(f"/courses/{course.slug}/enrol/", follow=True)
    html = response.content.decode()
    assert "Add your date of birth" in html
    assert 'href="/students/me/edit/"' in html
    assert not Enrollment.objects.exists()
