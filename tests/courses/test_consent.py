"""The guardian-consent gate on enrolment: a course with a price (a payment) or a teacher in the loop (a
group course's live sessions, a 1:1 course's lessons) needs it; a free self-paced course does not. In the
service, through the API and on the course page. The doors a student does not open themself hold too:
the waitlist moving up passes over a held student (who keeps their place), and a pending enrolment of a
held student is not made active (by billing or an admin)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from authentication.services import guardian_consent, guardian_decline_or_remove
from classroom.models import LessonSeat
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Enrollment
from courses.selectors import enrollment_needs_consent
from courses.services import (
    course_update,
    enrollment_activate,
    enrollment_create,
    enrollment_withdraw,
)
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import child, link, set_birthday
from tests.authentication.factories import PASSWORD, AdminFactory, ParentFactory, StudentFactory
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.courses.page_helpers import live_course
from tests.teaching.factories import group_course, session

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


# Doors the student does not knock on: the waitlist moving up, a pending enrolment made active.


def waitlisted(course, student, n):
    """On the waitlist in place `n` (rows written directly: joined before the gate, or while a
    guardian's consent still held)."""
    return EnrollmentFactory(
        course=course,
        student=student,
        status=EnrollmentStatus.WAITLISTED,
        created_at=timezone.now() + timedelta(seconds=n),
    )


def consent_ended():
    kid, parent = child(age=13, consent=True)
    guardian_decline_or_remove(link=kid.guardian_links.get(), actor=parent)
    return kid, parent


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("30")])
def test_the_waitlist_passes_over_a_held_child_who_keeps_their_place(people, price):
    course = CourseFactory(capacity=1, price=price, owner=people.teacher)
    seated = EnrollmentFactory(course=course, status=EnrollmentStatus.ACTIVE)
    kid, _parent = consent_ended()
    held = waitlisted(course, kid, 1)
    next_in_line = waitlisted(course, StudentFactory(), 2)
    last = waitlisted(course, StudentFactory(), 3)

    enrollment_withdraw(actor=seated.student, enrollment=seated)
    for enrollment in (held, next_in_line, last):
        enrollment.refresh_from_db()
    promoted_to = EnrollmentStatus.ACTIVE if price == 0 else EnrollmentStatus.PENDING
    assert (held.status, next_in_line.status, last.status) == (
        EnrollmentStatus.WAITLISTED,
        promoted_to,
        EnrollmentStatus.WAITLISTED,
    )

    # Consent given: the child is first in line again when the next seat frees.
    link(ParentFactory(), kid, consent=True)
    course_update(actor=people.teacher, course=course, data={"capacity": 2})
    held.refresh_from_db()
    last.refresh_from_db()
    assert (held.status, last.status) == (promoted_to, EnrollmentStatus.WAITLISTED)


def test_raising_the_capacity_promotes_the_next_eligible_students_in_order(people):
    course = CourseFactory(capacity=1, owner=people.teacher)
    EnrollmentFactory(course=course, status=EnrollmentStatus.ACTIVE)
    no_date = StudentFactory()
    set_birthday(no_date, None)
    held = waitlisted(course, no_date, 1)
    first, second = waitlisted(course, StudentFactory(), 2), waitlisted(course, StudentFactory(), 3)
    course_update(actor=people.teacher, course=course, data={"capacity": 3})
    assert [
        e.status
        for e in Enrollment.objects.filter(pk__in=[held.pk, first.pk, second.pk]).order_by("pk")
    ] == [EnrollmentStatus.WAITLISTED, EnrollmentStatus.ACTIVE, EnrollmentStatus.ACTIVE]


def test_a_free_self_paced_waitlist_moves_up_without_the_gate(people):
    course = CourseFactory(format=CourseFormat.SELF_PACED, capacity=1, owner=people.teacher)
    EnrollmentFactory(course=course, status=EnrollmentStatus.ACTIVE)
    kid, _parent = child(age=12)
    waiting = waitlisted(course, kid, 1)
    course_update(actor=people.teacher, course=course, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.ACTIVE  # reading materials alone: no contact, no pay


def pending_for(student, **course_kwargs):
    """A pending paid enrolment (written directly: made before the gate, or while consent held)."""
    return EnrollmentFactory(
        course=paid_self_paced(**course_kwargs), student=student, status=EnrollmentStatus.PENDING
    )


def test_a_pending_enrolment_of_a_held_student_is_not_activated_by_billing_nor_an_admin(people):
    kid, parent = consent_ended()
    pending = pending_for(kid)
    for actor in (None, people.admin):
        with pytest.raises(PermissionDenied) as refused:
            enrollment_activate(actor=actor, enrollment=pending)
        assert refused.value.code == "guardian_consent_required"
        assert "This student is under 16" in refused.value.detail  # not "your child"
        assert refused.value.errors == {"guardian_consent": [refused.value.detail]}
    pending.refresh_from_db()
    assert (pending.status, pending.activated_at) == (EnrollmentStatus.PENDING, None)

    link(ParentFactory(), kid, consent=True)
    assert enrollment_activate(actor=None, enrollment=pending).status == EnrollmentStatus.ACTIVE


def test_a_pending_enrolment_without_a_date_of_birth_is_not_activated(people):
    learner = StudentFactory()
    set_birthday(learner, None)
    pending = pending_for(learner)
    with pytest.raises(PermissionDenied) as refused:
        enrollment_activate(actor=None, enrollment=pending)
    assert refused.value.code == "date_of_birth_required"
    assert refused.value.errors == {"date_of_birth": [refused.value.detail]}
    pending.refresh_from_db()
    assert pending.status == EnrollmentStatus.PENDING


def test_activating_a_held_childs_group_enrolment_gives_no_session_seats(people):
    kid, _parent = consent_ended()
    course = group_course(teacher=people.teacher, price=Decimal("30"))
    session(course=course)
    pending = EnrollmentFactory(course=course, student=kid, status=EnrollmentStatus.PENDING)
    with pytest.raises(PermissionDenied):
        enrollment_activate(actor=people.admin, enrollment=pending)
    assert not LessonSeat.objects.filter(student=kid).exists()


def test_the_activate_api_answers_403_with_the_code(client, people):
    kid, _parent = consent_ended()
    pending = pending_for(kid)
    response = client.post(
        f"/api/v1/enrollments/{pending.pk}/activate",
        content_type="application/json",
        **auth(client, people.admin),
    )
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "guardian_consent_required"
    assert body["errors"]["guardian_consent"] == [body["detail"]]
    pending.refresh_from_db()
    assert pending.status == EnrollmentStatus.PENDING


def test_the_django_admin_action_says_why_it_left_an_enrolment_pending(client):
    admin = AdminFactory(is_superuser=True)
    kid, _parent = consent_ended()
    held = pending_for(kid)
    ready = pending_for(StudentFactory())
    client.force_login(admin)
    response = client.post(
        "/django-admin/courses/enrollment/",
        {"action": "activate", "_selected_action": [held.pk, ready.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "This student is under 16" in html
    assert "1 enrolments activated." in html
    held.refresh_from_db()
    ready.refresh_from_db()
    assert (held.status, ready.status) == (EnrollmentStatus.PENDING, EnrollmentStatus.ACTIVE)
