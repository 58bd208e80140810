"""The hooks the next apps listen to: each event's in-transaction signal is sent once, inside the
service's transaction, with its payload; its `_committed` twin only once the transaction commits, never
after a rollback; neither when the service refuses."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from django.db import transaction

from authentication import signals as auth_signals
from authentication.services import guardian_accept, guardian_consent, guardian_invite
from classroom import signals
from classroom.choices import BillingOutcome
from classroom.models import Lesson, LessonSeat
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from classroom.teaching.services import (
    attendance_record,
    lesson_update,
    seat_release,
    seat_take,
)
from courses import signals as course_signals
from courses.choices import EnrollmentStatus
from courses.models import Enrollment, Material
from courses.services import enrollment_create, enrollment_withdraw, material_file_open
from cplatform.exceptions import Conflict, DomainError
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


@contextmanager
def heard(signal):
    """The payloads `signal` is sent with while the block runs (sender included)."""
    calls: list[dict] = []

    def listen(sender, signal, **payload):
        calls.append({"sender": sender, **payload})

    signal.connect(listen, weak=False)
    try:
        yield calls
    finally:
        signal.disconnect(listen)


@contextmanager
def heard_pair(signal, committed, on_commit):
    """Both signals of an event, around `on_commit` (django_capture_on_commit_callbacks): on exit
    the committed list is checked to be empty until the callbacks run."""
    with heard(signal) as now, heard(committed) as later, on_commit(execute=True):
        yield now, later
        assert later == [], "an after-commit signal was sent before the commit"
    # after the callbacks ran, `later` holds what was sent on commit


def _book(teacher, learner, day=3):
    return lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(day), length=60
    )


def test_a_booking_is_announced_once_in_the_transaction_and_once_after_commit(
    django_capture_on_commit_callbacks,
):
    teacher, learner = bookable_teacher(), student()
    with heard_pair(
        signals.lesson_booked, signals.lesson_booked_committed, django_capture_on_commit_callbacks
    ) as (now, later):
        lesson = _book(teacher, learner)
        assert len(now) == 1
    expected = {"sender": Lesson, "lesson": lesson, "actor": learner, "series": None}
    assert now == [expected]
    assert later == [expected]


def test_a_refused_booking_announces_nothing(django_capture_on_commit_callbacks):
    teacher, learner = bookable_teacher(), student()
    _book(teacher, learner)
    with (
        heard_pair(
            signals.lesson_booked,
            signals.lesson_booked_committed,
            django_capture_on_commit_callbacks,
        ) as (now, later),
        pytest.raises(Conflict),
    ):
        _book(teacher, student())  # the same slot
    assert now == [] and later == []


def test_a_booking_rolled_back_is_never_announced_after_commit(django_capture_on_commit_callbacks):
    teacher, learner = bookable_teacher(), student()
    with heard_pair(
        signals.lesson_booked, signals.lesson_booked_committed, django_capture_on_commit_callbacks
    ) as (now, later):
        with pytest.raises(RuntimeError), transaction.atomic():
            _book(teacher, learner)
            raise RuntimeError("the caller's transaction fails after the booking")
        assert len(now) == 1  # sent inside, and undone with it
    assert later == []
    assert not Lesson.objects.exists()


def test_a_late_cancellation_says_who_cancelled_that_it_was_late_and_the_charge(
    django_capture_on_commit_callbacks,
):
    teacher = bookable_teacher(cancellation_cutoff_hours=24 * 30)
    learner = student()
    lesson = _book(teacher, learner)
    with heard_pair(
        signals.lesson_cancelled,
        signals.lesson_cancelled_committed,
        django_capture_on_commit_callbacks,
    ) as (now, later):
        lesson_cancel(lesson=lesson, actor=learner, reason="Ill")
    assert len(now) == len(later) == 1
    payload = now[0]
    assert payload["actor"] == learner
    assert payload["late"] is True
    assert payload["billing_outcome"] == BillingOutcome.CHARGE
    assert payload["lesson"].pk == lesson.pk


def test_the_teachers_cancellation_is_free_and_says_so(django_capture_on_commit_callbacks):
    teacher, learner = bookable_teacher(free_cancellation_outcome="credit"), student()
    lesson = _book(teacher, learner)
    with heard(signals.lesson_cancelled) as now:
        lesson_cancel(lesson=lesson, actor=teacher.user)
    assert [(p["actor"], p["late"], p["billing_outcome"]) for p in now] == [
        (teacher.user, False, BillingOutcome.CREDIT)
    ]
    with heard(signals.lesson_cancelled) as again, pytest.raises(Conflict):
        lesson_cancel(lesson=lesson, actor=teacher.user)  # already cancelled: refused
    assert again == []


def test_a_reschedule_carries_the_previous_time(django_capture_on_commit_callbacks):
    teacher, learner = bookable_teacher(), student()
    lesson = _book(teacher, learner)
    before = (lesson.start, lesson.end)
    with heard_pair(
        signals.lesson_rescheduled,
        signals.lesson_rescheduled_committed,
        django_capture_on_commit_callbacks,
    ) as (now, later):
        lesson_reschedule(lesson=lesson, actor=learner, start=days_ahead(4))
    assert len(now) == len(later) == 1
    assert (now[0]["previous_start"], now[0]["previous_end"]) == before
    assert now[0]["lesson"].start == days_ahead(4)


def test_seats_taken_and_released_are_announced(django_capture_on_commit_callbacks):
    teacher = bookable_teacher()
    learner = StudentFactory()
    course = group_course(teacher=teacher.user, students=[])
    lesson = session(course=course)
    EnrollmentFactory(course=course, student=learner)
    with heard_pair(
        signals.seat_taken, signals.seat_taken_committed, django_capture_on_commit_callbacks
    ) as (now, later):
        seat = seat_take(actor=learner, lesson=lesson, student=learner)
    assert (
        now
        == later
        == [
            {
                "sender": LessonSeat,
                "seat": seat,
                "lesson": seat.lesson,
                "student_id": learner.pk,
                "actor": learner,
            }
        ]
    )
    with heard(signals.seat_taken) as refused, pytest.raises(Conflict):
        seat_take(actor=learner, lesson=lesson, student=learner)  # already seated
    assert refused == []
    with heard_pair(
        signals.seat_released, signals.seat_released_committed, django_capture_on_commit_callbacks
    ) as (now, later):
        seat_release(actor=learner, lesson=lesson, student=learner)
    assert len(now) == len(later) == 1 and now[0]["seat"].cancelled_at is not None


def test_an_enrolment_that_ends_releases_its_seats_with_an_announcement():
    teacher = bookable_teacher()
    learner = StudentFactory()
    course = group_course(teacher=teacher.user, students=[learner])
    session(course=course)
    enrollment = Enrollment.objects.get(student=learner)
    with heard(signals.seat_released) as seats, heard(course_signals.enrollment_ended) as ended:
        enrollment_withdraw(actor=learner, enrollment=enrollment)
    assert [p["actor"] for p in seats] == [None]
    assert [p["previous_status"] for p in ended] == [EnrollmentStatus.ACTIVE]


def test_attendance_and_notes_are_announced(django_capture_on_commit_callbacks):
    teacher, learner = bookable_teacher(), student()
    lesson = started_lesson(teacher=teacher.user, student=learner)
    with heard_pair(
        signals.attendance_recorded,
        signals.attendance_recorded_committed,
        django_capture_on_commit_callbacks,
    ) as (now, later):
        rows = attendance_record(
            actor=teacher.user,
            lesson=lesson,
            marks=[{"student_id": learner.pk, "status": "present"}],
        )
    assert len(now) == len(later) == 1 and now[0]["attendances"] == rows
    with heard(signals.lesson_notes_posted) as notes:
        lesson_update(actor=teacher.user, lesson=lesson, data={"homework": "Page 12"})
        lesson_update(actor=teacher.user, lesson=lesson, data={"title": "Verbs"})  # not notes
    assert [p["fields"] for p in notes] == [["homework"]]
    with heard(signals.attendance_recorded) as refused, pytest.raises(DomainError):
        attendance_record(actor=learner, lesson=lesson, marks=[{"student_id": learner.pk}])
    assert refused == []


@pytest.mark.parametrize(
    ("price", "full", "status", "signal"),
    [
        ("0", False, EnrollmentStatus.ACTIVE, "enrollment_activated"),
        ("50", False, EnrollmentStatus.PENDING, "enrollment_requested"),
        ("0", True, EnrollmentStatus.WAITLISTED, "enrollment_waitlisted"),
    ],
)
def test_an_enrolment_announces_its_status(
    price, full, status, signal, django_capture_on_commit_callbacks
):
    course = CourseFactory(price=price, capacity=1)
    if full:
        enrollment_create(actor=StudentFactory(), course=course)
    learner = StudentFactory()
    with heard_pair(
        getattr(course_signals, signal),
        getattr(course_signals, f"{signal}_committed"),
        django_capture_on_commit_callbacks,
    ) as (now, later):
        enrollment = enrollment_create(actor=learner, course=course, waitlist=full)
    assert enrollment.status == status
    assert now == later == [{"sender": Enrollment, "enrollment": enrollment}]


def test_guardian_invitation_acceptance_and_consent_are_announced(
    django_capture_on_commit_callbacks,
):
    parent, kid = ParentFactory(), StudentFactory()
    with heard_pair(
        auth_signals.guardian_invited,
        auth_signals.guardian_invited_committed,
        django_capture_on_commit_callbacks,
    ) as (now, later):
        link = guardian_invite(actor=parent, email=kid.email, as_role="child")
    assert now == later == [{"sender": type(link), "link": link, "actor": parent}]
    with heard(auth_signals.guardian_accepted) as accepted:
        guardian_accept(link=link, actor=kid)
    assert [p["actor"] for p in accepted] == [kid]
    with heard(auth_signals.guardian_consent_given) as consent:
        guardian_consent(link=link, actor=parent)
        guardian_consent(link=link, actor=parent)  # given once: no second event
    assert [p["actor"] for p in consent] == [parent]


def test_a_failing_after_commit_receiver_is_logged_and_does_not_undo_the_event(
    django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **payload):
        raise RuntimeError("the mail server is down")

    signals.lesson_booked_committed.connect(broken, weak=False)
    try:
        teacher, learner = bookable_teacher(), student()
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            lesson = _book(teacher, learner)
    finally:
        signals.lesson_booked_committed.disconnect(broken)
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    assert "After-commit receiver" in caplog.text


def test_a_material_download_is_announced_and_a_missing_file_is_not(
    django_capture_on_commit_callbacks,
):
    material = MaterialFactory()
    reader = StudentFactory()
    with heard_pair(
        course_signals.material_downloaded,
        course_signals.material_downloaded_committed,
        django_capture_on_commit_callbacks,
    ) as (now, later):
        material_file_open(user=reader, material=material).close()
    assert now == later == [{"sender": Material, "material": material, "user": reader}]
    link_material = MaterialFactory(kind="link", file=None, url="https://example.com/")
    with heard(course_signals.material_downloaded) as refused, pytest.raises(DomainError):
        material_file_open(user=reader, material=link_material)
    assert refused == []
