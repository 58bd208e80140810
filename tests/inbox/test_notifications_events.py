"""Each notification kind is made by its real event, through the lower app's own service, and
reaches exactly the right people: never the actor; a student's guardians get lesson changes as
copies about their child unless they turned that off."""

from __future__ import annotations

import pytest

from authentication.services import guardian_invite
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from classroom.teaching.services import (
    attendance_record,
    lesson_material_attach,
    lesson_update,
)
from courses.services import enrollment_create
from inbox.notifications.models import NotificationKind, NotificationSettings
from inbox.notifications.services import render_text
from tests.authentication.consent import link
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.courses.factories import CourseFactory, MaterialFactory
from tests.inbox.helpers import told
from tests.outbox import send_outbox
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    """A teacher, a student with a linked parent."""
    teacher = bookable_teacher(first_name="Tina", last_name="Teach")
    kid = student(first_name="Lucas", last_name="Kid")
    parent = ParentFactory(first_name="Paula", last_name="Parent")
    link(parent, kid)
    return teacher, kid, parent


def test_a_booking_by_the_student_tells_the_teacher_and_the_parent_about_the_child(family):
    teacher, kid, parent = family
    lesson = lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    got = told(NotificationKind.LESSON_BOOKED)
    assert set(got) == {teacher.user_id, parent.pk}  # not the student who booked
    assert got[parent.pk].child == kid
    assert got[teacher.user_id].child is None
    assert got[teacher.user_id].url == f"/lessons/{lesson.pk}/"
    assert render_text(got[teacher.user_id]).startswith("Lucas Kid booked a lesson with you on ")
    assert render_text(got[parent.pk]).startswith(
        "Lucas Kid booked a lesson for Lucas Kid with Tina Teach on "
    )


def test_a_booking_by_the_parent_tells_the_teacher_and_the_student_not_the_parent(family):
    teacher, kid, parent = family
    lesson_book(actor=parent, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    got = told(NotificationKind.LESSON_BOOKED)
    assert set(got) == {teacher.user_id, kid.pk}
    assert render_text(got[kid.pk]).startswith(
        "Paula Parent booked a lesson for you with Tina Teach"
    )
    assert render_text(got[teacher.user_id]).startswith(
        "Paula Parent booked a lesson with you for Lucas Kid on "
    )


def test_a_teachers_cancellation_says_who_cancelled_to_the_student_and_the_parent(family):
    teacher, kid, parent = family
    lesson = lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    lesson_cancel(lesson=lesson, actor=teacher.user, reason="Ill")
    got = told(NotificationKind.LESSON_CANCELLED)
    assert set(got) == {kid.pk, parent.pk}
    assert render_text(got[kid.pk]).startswith("Tina Teach cancelled your lesson on ")
    assert render_text(got[parent.pk]).startswith("Tina Teach cancelled Lucas Kid’s lesson")


def test_a_parent_who_turned_childrens_changes_off_gets_no_copy(family):
    teacher, kid, parent = family
    NotificationSettings.objects.create(user=parent, children_lesson_changes=False)
    lesson = lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    lesson_reschedule(lesson=lesson, actor=teacher.user, start=days_ahead(4))
    assert set(told(NotificationKind.LESSON_BOOKED)) == {teacher.user_id}
    moved = told(NotificationKind.LESSON_RESCHEDULED)
    assert set(moved) == {kid.pk}
    assert "from" in render_text(moved[kid.pk]) and " to " in render_text(moved[kid.pk])


def test_a_cancelled_group_session_tells_its_seated_students_and_their_parents(family):
    teacher, kid, parent = family
    other = StudentFactory()
    course = group_course(teacher=teacher.user, students=[kid, other])
    lesson = session(course=course)
    lesson_cancel(lesson=lesson, actor=teacher.user)
    got = told(NotificationKind.LESSON_CANCELLED)
    assert set(got) == {kid.pk, other.pk, parent.pk}
    assert got[parent.pk].child == kid


def test_attendance_notes_homework_and_material_reach_the_student_not_the_teacher(family):
    teacher, kid, parent = family
    course = CourseFactory(owner=teacher.user)
    lesson = started_lesson(teacher=teacher.user, student=kid, course=course)
    attendance_record(
        actor=teacher.user, lesson=lesson, marks=[{"student_id": kid.pk, "status": "present"}]
    )
    lesson_update(actor=teacher.user, lesson=lesson, data={"notes": "Good work"})
    lesson_update(actor=teacher.user, lesson=lesson, data={"homework": "Page 12"})
    material = MaterialFactory(course=course, title="Verb table")
    lesson_material_attach(actor=teacher.user, lesson=lesson, material=material)
    for kind in (
        NotificationKind.ATTENDANCE_RECORDED,
        NotificationKind.LESSON_NOTES,
        NotificationKind.HOMEWORK_SET,
        NotificationKind.MATERIAL_SHARED,
    ):
        assert set(told(kind)) == {kid.pk}, kind
    assert "present" in render_text(told(NotificationKind.ATTENDANCE_RECORDED)[kid.pk])
    assert "“Verb table”" in render_text(told(NotificationKind.MATERIAL_SHARED)[kid.pk])


def test_enrolments_confirmed_and_waitlisted_reach_the_student_and_the_parent_who_enrolled(family):
    _teacher, kid, parent = family
    course = CourseFactory(price="0", capacity=1, title="Spanish A1")
    enrollment_create(actor=parent, course=course, student=kid)
    got = told(NotificationKind.ENROLLMENT_CONFIRMED)
    assert set(got) == {kid.pk, parent.pk}
    assert render_text(got[kid.pk]) == "Your place in Spanish A1 is confirmed."
    assert render_text(got[parent.pk]) == "Lucas Kid’s place in Spanish A1 is confirmed."
    late = StudentFactory()
    enrollment_create(actor=late, course=course, waitlist=True)
    assert set(told(NotificationKind.ENROLLMENT_WAITLISTED)) == {late.pk}


def test_a_guardian_request_reaches_the_invited_person_when_they_have_an_account(
    django_capture_on_commit_callbacks,
):
    parent, kid = ParentFactory(first_name="Paula"), StudentFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the invitation is sent on commit
        guardian_invite(actor=parent, email=kid.email, as_role="child")
    guardian_invite(actor=parent, email="nobody-yet@example.com", as_role="child")
    got = told(NotificationKind.GUARDIAN_REQUEST)
    assert set(got) == {kid.pk}
    assert got[kid.pk].actor == parent
    assert got[kid.pk].url == "/auth/guardians/"
    # The invitation is its own email: the notification adds none beside it.
    assert got[kid.pk].email_state == "none"
    assert len([m for m in send_outbox() if m.to == [kid.email]]) == 1


def test_a_notification_email_names_people_never_their_emails_and_links_the_settings(family):
    teacher, kid, parent = family
    send_outbox().clear()
    lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    to_teacher = [m for m in send_outbox() if m.to == [teacher.user.email]]
    assert len(to_teacher) == 1
    body = to_teacher[0].body
    assert "Lucas Kid" in body and kid.email not in body
    assert "/notifications/settings/" in body
    assert "/lessons/" in body


def test_the_actor_is_never_told_and_a_rolled_back_event_leaves_nothing(family):
    teacher, kid, _parent = family
    lesson = lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    assert kid.pk not in told(NotificationKind.LESSON_BOOKED)
    other = student()
    with pytest.raises(Exception):  # noqa: B017 - the overlap refusal, whatever its class
        lesson_book(actor=other, teacher=teacher, student=other, start=lesson.start, length=60)
    assert set(told(NotificationKind.LESSON_BOOKED)) == {teacher.user_id, _parent.pk}
