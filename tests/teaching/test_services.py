"""Group sessions, seats, enrolment signals, attendance and lesson writes, at the service level."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.choices import LessonStatus
from classroom.models import Attendance, Lesson, LessonSeat, TeacherSchedulingSettings
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from classroom.teaching import services
from courses.choices import CourseFormat, EnrollmentStatus
from courses.services import (
    enrollment_activate,
    enrollment_create,
    enrollment_remove,
    enrollment_withdraw,
)
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


def live_seat_holders(lesson) -> list[int]:
    return list(
        LessonSeat.objects.filter(lesson=lesson, cancelled_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("student_id", flat=True)
    )


# Group sessions


def test_a_new_session_seats_actively_enrolled_students_in_enrolment_order_up_to_its_seats(people):
    first, second, third = StudentFactory(), StudentFactory(), StudentFactory()
    course = group_course(teacher=people.teacher, students=[first, second, third], capacity=10)
    EnrollmentFactory(course=course, student=StudentFactory(), status=EnrollmentStatus.PENDING)
    EnrollmentFactory(course=course, student=StudentFactory(), status=EnrollmentStatus.WITHDRAWN)
    lesson = session(course=course, capacity=2)
    assert lesson.kind == "group" and lesson.student_id is None
    assert lesson.capacity == 2
    assert lesson.title == course.title
    assert live_seat_holders(lesson) == [first.pk, second.pk]


def test_a_session_takes_the_course_capacity_by_default_and_needs_no_availability(people):
    course = group_course(teacher=people.teacher, capacity=7)
    lesson = session(course=course)  # the teacher has no availability rules at all
    assert lesson.capacity == 7


def test_a_session_may_not_overlap_another_lesson_of_the_teacher(people):
    course = group_course(teacher=people.teacher)
    session(course=course, day=7, hour=9)
    with pytest.raises(Conflict):
        session(course=course, day=7, hour=9, length=30)
    # Back to back is fine.
    session(course=course, day=7, hour=10)
    assert Lesson.objects.filter(course=course).count() == 2


def test_a_session_overlapping_a_booked_1_to_1_lesson_of_the_teacher_is_refused():
    teacher = bookable_teacher()
    student = StudentFactory()
    lesson_book(
        actor=student, teacher=teacher, student=student, start=days_ahead(5, hour=12), length=60
    )
    course = group_course(teacher=teacher.user)
    with pytest.raises(Conflict):
        session(course=course, day=5, hour=12, length=30)


def test_only_teachers_of_a_group_course_or_admins_create_sessions(people):
    course = group_course(teacher=people.teacher)
    with pytest.raises(NotFound):
        session(course=course, actor=people.other_teacher)
    with pytest.raises(NotFound):
        session(course=course, actor=people.student_a)
    by_admin = session(course=course, actor=people.admin)
    assert by_admin.teacher.user == people.teacher
    one_to_one = CourseFactory(owner=people.teacher, format=CourseFormat.ONE_TO_ONE, capacity=None)
    with pytest.raises(ValidationFailed) as exc:
        session(course=one_to_one)
    assert "course_id" in exc.value.errors


def test_a_session_must_be_in_the_future_with_a_sane_length_and_an_https_link(people):
    course = group_course(teacher=people.teacher)
    with pytest.raises(ValidationFailed) as exc:
        services.group_session_create(
            actor=people.teacher,
            course=course,
            start=timezone.now() - timedelta(hours=1),
            length=5,
            video_call_url="http://meet.example/abc",
        )
    assert set(exc.value.errors) == {"start", "length", "video_call_url"}
    assert not Lesson.objects.exists()


def test_students_busy_at_that_time_get_no_seat_in_a_new_session(people):
    course = group_course(teacher=people.teacher, students=[people.student_a, people.student_b])
    other = group_course(teacher=people.other_teacher, students=[people.student_a])
    session(course=other, day=7, hour=9)
    lesson = session(course=course, day=7, hour=9, length=30)
    assert live_seat_holders(lesson) == [people.student_b.pk]


# Seats


def test_an_enrolled_student_takes_and_gives_up_a_seat_which_stays_as_history(people):
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    EnrollmentFactory(course=course, student=people.student_a)
    seat = services.seat_take(actor=people.student_a, lesson=lesson, student=people.student_a)
    assert live_seat_holders(lesson) == [people.student_a.pk]
    with pytest.raises(Conflict):
        services.seat_take(actor=people.student_a, lesson=lesson, student=people.student_a)
    services.seat_release(actor=people.student_a, lesson=lesson, student=people.student_a)
    seat.refresh_from_db()
    assert seat.cancelled_at is not None
    assert live_seat_holders(lesson) == []
    # Idempotent: giving up a seat already given up changes nothing.
    assert (
        services.seat_release(actor=people.student_a, lesson=lesson, student=people.student_a)
        is None
    )
    assert LessonSeat.objects.filter(lesson=lesson, student=people.student_a).count() == 1
    # Taken again: a new live row beside the old one.
    services.seat_take(actor=people.parent_of_a, lesson=lesson, student=people.student_a)
    assert LessonSeat.objects.filter(lesson=lesson, student=people.student_a).count() == 2


def test_a_student_not_actively_enrolled_cannot_take_a_seat(people):
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    with pytest.raises(NotFound):
        services.seat_take(actor=people.student_b, lesson=lesson, student=people.student_b)
    EnrollmentFactory(course=course, student=people.student_b, status=EnrollmentStatus.PENDING)
    with pytest.raises(NotFound):
        services.seat_take(actor=people.student_b, lesson=lesson, student=people.student_b)


def test_the_seat_limit_holds(people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course, capacity=1)
    EnrollmentFactory(course=course, student=people.student_b)
    with pytest.raises(Conflict) as exc:
        services.seat_take(actor=people.student_b, lesson=lesson, student=people.student_b)
    assert "full" in exc.value.detail


def test_seats_are_taken_only_in_upcoming_scheduled_sessions(people):
    course = group_course(teacher=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    past = started_lesson(teacher=people.teacher, course=course)
    with pytest.raises(Conflict):
        services.seat_take(actor=people.student_a, lesson=past, student=people.student_a)
    cancelled = session(course=course)
    lesson_cancel(lesson=cancelled, actor=people.teacher)
    with pytest.raises(Conflict):
        services.seat_take(actor=people.student_a, lesson=cancelled, student=people.student_a)


def test_a_student_cannot_hold_seats_in_two_overlapping_sessions(people):
    course = group_course(teacher=people.teacher)
    other = group_course(teacher=people.other_teacher)
    first = session(course=course, day=8, hour=9)
    second = session(course=other, day=8, hour=9, length=30)
    EnrollmentFactory(course=course, student=people.student_a)
    EnrollmentFactory(course=other, student=people.student_a)
    services.seat_take(actor=people.student_a, lesson=first, student=people.student_a)
    with pytest.raises(Conflict):
        services.seat_take(actor=people.student_a, lesson=second, student=people.student_a)


def test_a_seat_and_a_1_to_1_lesson_of_the_student_never_overlap(people):
    teacher = bookable_teacher()
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course, day=9, hour=9)
    assert live_seat_holders(lesson) == [people.student_a.pk]
    # The seat blocks a 1:1 booking at that time …
    with pytest.raises(Conflict) as exc:
        lesson_book(
            actor=people.student_a,
            teacher=teacher,
            student=people.student_a,
            start=days_ahead(9, hour=9),
            length=30,
        )
    assert "group session" in exc.value.detail
    services.seat_release(actor=people.student_a, lesson=lesson, student=people.student_a)
    # … and once given up, the booking goes through and blocks the seat in turn.
    lesson_book(
        actor=people.student_a,
        teacher=teacher,
        student=people.student_a,
        start=days_ahead(9, hour=9),
        length=30,
    )
    with pytest.raises(Conflict):
        services.seat_take(actor=people.student_a, lesson=lesson, student=people.student_a)


def test_a_cancelled_overlapping_lesson_does_not_block_a_seat(people):
    course = group_course(teacher=people.teacher)
    other = group_course(teacher=people.other_teacher)
    first = session(course=course, day=8, hour=9)
    second = session(course=other, day=8, hour=9)
    EnrollmentFactory(course=course, student=people.student_a)
    EnrollmentFactory(course=other, student=people.student_a)
    services.seat_take(actor=people.student_a, lesson=first, student=people.student_a)
    lesson_cancel(lesson=first, actor=people.teacher)
    services.seat_take(actor=people.student_a, lesson=second, student=people.student_a)
    assert live_seat_holders(second) == [people.student_a.pk]


# Enrolment signals


def test_a_new_active_enrolment_gets_seats_in_upcoming_sessions_with_room(people):
    course = group_course(teacher=people.teacher, students=[StudentFactory()], capacity=10)
    roomy = session(course=course, day=6)
    full = session(course=course, day=7, capacity=1)
    past = started_lesson(teacher=people.teacher, course=course)
    cancelled = session(course=course, day=8)
    lesson_cancel(lesson=cancelled, actor=people.teacher)
    enrollment_create(actor=people.student_a, course=course)
    assert people.student_a.pk in live_seat_holders(roomy)
    assert people.student_a.pk not in live_seat_holders(full)
    assert live_seat_holders(past) == []
    assert people.student_a.pk not in live_seat_holders(cancelled)


def test_a_parent_enrolling_a_child_gives_the_child_seats_booked_by_the_parent(people):
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    enrollment_create(actor=people.parent_of_a, course=course, student=people.student_a)
    seat = LessonSeat.objects.get(lesson=lesson, student=people.student_a)
    assert seat.booked_by == people.parent_of_a


def test_a_paid_enrolment_gets_seats_only_once_activated(people):
    course = group_course(teacher=people.teacher, price=40)
    lesson = session(course=course)
    enrollment = enrollment_create(actor=people.student_a, course=course)
    assert enrollment.status == EnrollmentStatus.PENDING
    assert live_seat_holders(lesson) == []
    enrollment_activate(actor=people.admin, enrollment=enrollment)
    assert live_seat_holders(lesson) == [people.student_a.pk]


def test_withdrawing_frees_upcoming_seats_and_keeps_past_ones(people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    upcoming = session(course=course)
    past = started_lesson(teacher=people.teacher, course=course)
    LessonSeat.objects.create(lesson=past, student=people.student_a)
    enrollment = course.enrollments.get(student=people.student_a)
    enrollment_withdraw(actor=people.student_a, enrollment=enrollment)
    assert live_seat_holders(upcoming) == []
    assert live_seat_holders(past) == [people.student_a.pk]
    assert LessonSeat.objects.filter(lesson=upcoming, cancelled_at__isnull=False).count() == 1


def test_removal_frees_the_seat_and_the_promoted_waitlisted_student_gets_it(people):
    course = group_course(teacher=people.teacher, students=[people.student_a], capacity=1)
    lesson = session(course=course)
    waiting = enrollment_create(actor=people.student_b, course=course, waitlist=True)
    assert waiting.status == EnrollmentStatus.WAITLISTED
    assert live_seat_holders(lesson) == [people.student_a.pk]
    enrollment_remove(
        actor=people.teacher, enrollment=course.enrollments.get(student=people.student_a)
    )
    assert live_seat_holders(lesson) == [people.student_b.pk]


def test_a_failing_seat_receiver_rolls_the_enrolment_back(people, monkeypatch):
    """The signals are sent inside the enrolment's transaction: no active enrolment without seats."""
    course = group_course(teacher=people.teacher)
    session(course=course)

    def broken(**kwargs):
        raise RuntimeError("seat writer down")

    monkeypatch.setattr("classroom.teaching.receivers.seats_give_for_enrollment", broken)
    with pytest.raises(RuntimeError):
        enrollment_create(actor=people.student_a, course=course)
    assert not course.enrollments.exists()


# Cancelling and moving group sessions


def test_the_teacher_cancels_a_session_for_free_and_seats_stay_as_history(people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    with pytest.raises(PermissionDenied):
        lesson_cancel(lesson=lesson, actor=people.student_a)
    cancelled = lesson_cancel(lesson=lesson, actor=people.teacher)
    assert cancelled.status == LessonStatus.CANCELLED
    assert not cancelled.cancelled_late
    assert live_seat_holders(lesson) == [people.student_a.pk]


def test_a_group_session_is_not_rescheduled(people):
    lesson = session(course=group_course(teacher=people.teacher))
    with pytest.raises(Conflict):
        lesson_reschedule(lesson=lesson, actor=people.teacher, start=days_ahead(12))


# Attendance


def test_attendance_waits_for_the_start_and_never_touches_a_cancelled_lesson(people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    mark = [{"student_id": people.student_a.pk, "status": "present"}]
    with pytest.raises(Conflict):
        services.attendance_record(actor=people.teacher, lesson=lesson, marks=mark)
    started = started_lesson(teacher=people.teacher, student=people.student_a)
    Lesson.objects.filter(pk=started.pk).update(status=LessonStatus.CANCELLED)
    with pytest.raises(Conflict):
        services.attendance_record(actor=people.teacher, lesson=started, marks=mark)
    assert not Attendance.objects.exists()


def test_a_1_to_1_student_marked_absent_is_a_no_show_and_a_correction_completes_it(people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    absent = [{"student_id": people.student_a.pk, "status": "absent", "note": "No word"}]
    services.attendance_record(actor=people.teacher, lesson=lesson, marks=absent)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.NO_SHOW
    late = [{"student_id": people.student_a.pk, "status": "late", "note": "Bus"}]
    services.attendance_record(actor=people.admin, lesson=lesson, marks=late)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.COMPLETED
    row = Attendance.objects.get(lesson=lesson)
    assert (row.status, row.note, row.recorded_by) == ("late", "Bus", people.admin)


@pytest.mark.parametrize(
    ("mark", "status", "outcome"),
    [
        ("present", LessonStatus.COMPLETED, "charge"),
        ("late", LessonStatus.COMPLETED, "charge"),
        ("absent", LessonStatus.NO_SHOW, "charge"),
        ("excused", LessonStatus.NO_SHOW, "credit"),  # the teacher's free-cancellation outcome
    ],
)
def test_a_1_to_1_lesson_is_settled_by_its_attendance_mark(people, mark, status, outcome):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    TeacherSchedulingSettings.objects.update_or_create(
        teacher=lesson.teacher, defaults={"free_cancellation_outcome": "credit"}
    )
    services.attendance_record(
        actor=people.teacher,
        lesson=lesson,
        marks=[{"student_id": people.student_a.pk, "status": mark}],
    )
    lesson.refresh_from_db()
    assert (lesson.status, lesson.billing_outcome) == (status, outcome)


def test_group_attendance_covers_seat_holders_only_and_completes_the_session(people):
    course = group_course(teacher=people.teacher)
    lesson = started_lesson(teacher=people.teacher, course=course)
    LessonSeat.objects.create(lesson=lesson, student=people.student_a)
    LessonSeat.objects.create(lesson=lesson, student=people.student_b, cancelled_at=timezone.now())
    with pytest.raises(ValidationFailed) as exc:
        services.attendance_record(
            actor=people.teacher,
            lesson=lesson,
            marks=[
                {"student_id": people.student_a.pk, "status": "present"},
                {"student_id": people.student_b.pk, "status": "absent"},
            ],
        )
    assert "marks" in exc.value.errors
    assert not Attendance.objects.exists()
    services.attendance_record(
        actor=people.teacher,
        lesson=lesson,
        marks=[{"student_id": people.student_a.pk, "status": "absent"}],
    )
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.COMPLETED


def test_only_the_lessons_teacher_or_an_admin_records_attendance(people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    mark = [{"student_id": people.student_a.pk, "status": "present"}]
    for learner in (people.student_a, people.parent_of_a):  # they see the lesson
        with pytest.raises(PermissionDenied):
            services.attendance_record(actor=learner, lesson=lesson, marks=mark)
    with pytest.raises(NotFound):  # to another teacher the lesson does not exist
        services.attendance_record(actor=people.other_teacher, lesson=lesson, marks=mark)


# Notes, homework, video link, materials


def test_the_teacher_writes_notes_homework_and_an_https_video_link(people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    due = timezone.now() + timedelta(days=3)
    services.lesson_update(
        actor=people.teacher,
        lesson=lesson,
        data={
            "notes": " Fractions ",
            "homework": "Page 12",
            "homework_due": due,
            "video_call_url": "https://meet.example/abc",
        },
    )
    lesson.refresh_from_db()
    assert (lesson.notes, lesson.homework, lesson.homework_due) == ("Fractions", "Page 12", due)
    for bad in ("http://meet.example/abc", "javascript:alert(1)", "meet.example"):
        with pytest.raises(ValidationFailed) as exc:
            services.lesson_update(
                actor=people.teacher, lesson=lesson, data={"video_call_url": bad}
            )
        assert "video_call_url" in exc.value.errors
    with pytest.raises(PermissionDenied):
        services.lesson_update(actor=people.student_a, lesson=lesson, data={"notes": "Mine"})
    lesson.refresh_from_db()
    assert lesson.video_call_url == "https://meet.example/abc"


def test_only_materials_of_the_lessons_course_are_shared(people):
    course = group_course(teacher=people.teacher)
    lesson = session(course=course)
    own = MaterialFactory(course=course)
    foreign = MaterialFactory(course=group_course(teacher=people.teacher))
    services.lesson_material_attach(actor=people.teacher, lesson=lesson, material_id=own.pk)
    services.lesson_material_attach(actor=people.teacher, lesson=lesson, material_id=own.pk)
    assert list(lesson.materials.all()) == [own]
    with pytest.raises(ValidationFailed):
        services.lesson_material_attach(actor=people.teacher, lesson=lesson, material_id=foreign.pk)
    other_teachers = MaterialFactory(course=group_course(teacher=people.other_teacher))
    with pytest.raises(ValidationFailed):
        services.lesson_material_attach(
            actor=people.teacher, lesson=lesson, material_id=other_teachers.pk
        )
    no_course = started_lesson(teacher=people.teacher, student=people.student_a)
    with pytest.raises(ValidationFailed):
        services.lesson_material_attach(actor=people.teacher, lesson=no_course, material=own)
    services.lesson_material_detach(actor=people.teacher, lesson=lesson, material_id=own.pk)
    assert not lesson.materials.exists()


def test_a_1_to_1_lesson_may_belong_to_a_1_to_1_course_the_student_is_active_in(people):
    teacher = bookable_teacher()
    tutoring = CourseFactory(owner=teacher.user, format=CourseFormat.ONE_TO_ONE, capacity=None)
    group = group_course(teacher=teacher.user, students=[people.student_a])
    foreign = CourseFactory(
        owner=people.other_teacher, format=CourseFormat.ONE_TO_ONE, capacity=None
    )
    EnrollmentFactory(course=foreign, student=people.student_a)

    def book(course_id, day):
        return lesson_book(
            actor=people.student_a,
            teacher=teacher,
            student=people.student_a,
            start=days_ahead(day, hour=15),
            length=60,
            course_id=course_id,
        )

    for course_id, day in ((tutoring.pk, 3), (group.pk, 4), (foreign.pk, 5), (987654, 6)):
        with pytest.raises(ValidationFailed) as exc:
            book(course_id, day)
        assert "course_id" in exc.value.errors
    EnrollmentFactory(course=tutoring, student=people.student_a)
    assert book(tutoring.pk, 3).course == tutoring
