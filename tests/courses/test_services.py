import threading
from decimal import Decimal

import pytest
from django.db import connection

from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment
from courses.selectors import course_get_for_editor, enrollment_history_for_student
from courses.services import (
    course_create,
    course_update,
    enrollment_activate,
    enrollment_create,
    enrollment_remove,
    enrollment_withdraw,
)
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import StudentFactory
from tests.courses.factories import CourseFactory

pytestmark = pytest.mark.django_db

COURSE_DATA = {
    "title": "Algebra for beginners",
    "format": CourseFormat.GROUP,
    "capacity": 8,
    "subject": "mathematics",
    "level": "beginner",
    "language": "en",
    "price": Decimal("40.00"),
}


def test_teacher_creates_a_draft_course_they_own_and_teach(people):
    course = course_create(actor=people.teacher, data=COURSE_DATA)
    assert course.owner == people.teacher
    assert list(course.teachers.all()) == [people.teacher]
    assert course.status == CourseStatus.DRAFT
    assert course.slug == "algebra-for-beginners"
    assert course_create(actor=people.teacher, data=COURSE_DATA).slug == "algebra-for-beginners-2"


def test_student_cannot_create_a_course(people):
    with pytest.raises(PermissionDenied):
        course_create(actor=people.student_a, data=COURSE_DATA)


def test_group_course_needs_a_capacity(people):
    with pytest.raises(ValidationFailed) as exc:
        course_create(actor=people.teacher, data={**COURSE_DATA, "capacity": None})
    assert "capacity" in exc.value.errors


def test_unknown_subject_is_a_field_error(people):
    with pytest.raises(ValidationFailed) as exc:
        course_create(actor=people.teacher, data={**COURSE_DATA, "subject": "alchemy"})
    assert "subject" in exc.value.errors


def test_course_cannot_end_before_it_starts(people):
    data = {**COURSE_DATA, "starts_on": "2027-03-01", "ends_on": "2027-02-01"}
    with pytest.raises(ValidationFailed):
        course_create(actor=people.teacher, data=data)


def test_teacher_cannot_edit_another_teachers_course(people):
    course = CourseFactory(owner=people.other_teacher)
    with pytest.raises(NotFound):
        course_get_for_editor(user=people.teacher, course_id=course.pk)
    with pytest.raises(NotFound):
        course_update(actor=people.teacher, course=course, data={"title": "Mine now"})
    course.refresh_from_db()
    assert course.title != "Mine now"


def test_admin_and_co_teacher_edit_a_course(people):
    course = CourseFactory(owner=people.other_teacher, teachers=[people.teacher])
    course_update(actor=people.teacher, course=course, data={"title": "Shared"})
    course_update(actor=people.admin, course=course, data={"status": CourseStatus.ARCHIVED})
    course.refresh_from_db()
    assert (course.title, course.status) == ("Shared", CourseStatus.ARCHIVED)


def test_free_course_enrols_at_once(people):
    enrollment = enrollment_create(actor=people.student_a, course=CourseFactory())
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.activated_at is not None


def test_paid_course_enrolment_waits_for_payment_until_an_admin_activates_it(people):
    enrollment = enrollment_create(actor=people.student_a, course=CourseFactory(price=50))
    assert enrollment.status == EnrollmentStatus.PENDING
    with pytest.raises(PermissionDenied):
        enrollment_activate(actor=people.teacher, enrollment=enrollment)
    assert enrollment_activate(actor=people.admin, enrollment=enrollment).status == "active"


def test_student_cannot_enrol_twice(people):
    course = CourseFactory()
    enrollment_create(actor=people.student_a, course=course)
    with pytest.raises(Conflict):
        enrollment_create(actor=people.student_a, course=course)


def test_unpublished_course_cannot_be_enrolled_in(people):
    with pytest.raises(NotFound):
        enrollment_create(actor=people.student_a, course=CourseFactory(status=CourseStatus.DRAFT))


def test_parent_enrols_a_linked_child_but_not_another_student(people):
    course = CourseFactory()
    enrollment = enrollment_create(
        actor=people.parent_of_a, course=course, student=people.student_a
    )
    assert (enrollment.student, enrollment.enrolled_by) == (people.student_a, people.parent_of_a)
    with pytest.raises(NotFound):
        enrollment_create(actor=people.parent_of_a, course=course, student=people.student_b)


def test_parent_cannot_enrol_themselves(people):
    with pytest.raises(ValidationFailed):
        enrollment_create(actor=people.parent_of_a, course=CourseFactory())


def test_full_course_refuses_without_waitlist_and_queues_with_it(people):
    course = CourseFactory(capacity=1)
    enrollment_create(actor=people.student_a, course=course)
    with pytest.raises(Conflict):
        enrollment_create(actor=people.student_b, course=course)
    waiting = enrollment_create(actor=people.student_b, course=course, waitlist=True)
    assert waiting.status == EnrollmentStatus.WAITLISTED


def test_withdrawing_promotes_the_first_waiting_student_in_order(people):
    course = CourseFactory(capacity=1)
    seated = enrollment_create(actor=people.student_a, course=course)
    first = enrollment_create(actor=people.student_b, course=course, waitlist=True)
    second = enrollment_create(actor=StudentFactory(), course=course, waitlist=True)
    enrollment_withdraw(actor=people.student_a, enrollment=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrollmentStatus.ACTIVE
    assert second.status == EnrollmentStatus.WAITLISTED


def test_removal_by_the_teacher_promotes_to_pending_on_a_paid_course(people):
    course = CourseFactory(capacity=1, price=20, owner=people.teacher)
    seated = enrollment_create(actor=people.student_a, course=course)
    waiting = enrollment_create(actor=people.student_b, course=course, waitlist=True)
    with pytest.raises(NotFound):  # not their course: the enrolment does not exist for them
        enrollment_remove(actor=people.other_teacher, enrollment=seated)
    with pytest.raises(PermissionDenied):  # the student sees it, but removing is the teacher's
        enrollment_remove(actor=people.student_a, enrollment=seated)
    removed = enrollment_remove(actor=people.teacher, enrollment=seated)
    assert (removed.status, removed.ended_by) == (EnrollmentStatus.REMOVED, people.teacher)
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.PENDING


def test_another_student_cannot_withdraw_someone_else(people):
    enrollment = enrollment_create(actor=people.student_a, course=CourseFactory())
    with pytest.raises(NotFound):
        enrollment_withdraw(actor=people.student_b, enrollment=enrollment)
    assert enrollment_withdraw(actor=people.parent_of_a, enrollment=enrollment).status == (
        EnrollmentStatus.WITHDRAWN
    )


def test_withdrawn_student_may_enrol_again_and_history_keeps_both(people):
    course = CourseFactory()
    first = enrollment_create(actor=people.student_a, course=course)
    enrollment_withdraw(actor=people.student_a, enrollment=first)
    with pytest.raises(Conflict):
        enrollment_withdraw(actor=people.student_a, enrollment=first)
    enrollment_create(actor=people.student_a, course=course)
    for viewer in (people.student_a, people.parent_of_a, people.admin):
        history = enrollment_history_for_student(user=viewer, student_id=people.student_a.pk)
        assert [e.status for e in history] == ["active", "withdrawn"]
    assert not enrollment_history_for_student(user=people.student_b, student_id=people.student_a.pk)
    assert not enrollment_history_for_student(user=people.teacher, student_id=people.student_a.pk)


def test_capacity_cannot_drop_below_the_seats_taken(people):
    course = CourseFactory(capacity=2, owner=people.teacher)
    enrollment_create(actor=people.student_a, course=course)
    enrollment_create(actor=people.student_b, course=course)
    with pytest.raises(ValidationFailed):
        course_update(actor=people.teacher, course=course, data={"capacity": 1})


def test_raising_capacity_promotes_the_waitlist(people):
    course = CourseFactory(capacity=1, owner=people.teacher)
    enrollment_create(actor=people.student_a, course=course)
    waiting = enrollment_create(actor=people.student_b, course=course, waitlist=True)
    course_update(actor=people.teacher, course=course, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_ten_students_racing_for_the_last_seat_get_exactly_one_enrolment():
    assert connection.vendor == "postgresql"
    course = CourseFactory(capacity=3)
    for _ in range(2):
        enrollment_create(actor=StudentFactory(), course=course)
    racers = [StudentFactory() for _ in range(10)]
    barrier = threading.Barrier(len(racers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(student):
        try:
            barrier.wait()
            enrollment_create(actor=student, course=Course.objects.get(pk=course.pk))
            result = "enrolled"
        except Conflict:
            result = "full"
        except Exception as exc:  # noqa: BLE001 - any other outcome is a failure to report
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(s,)) for s in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["enrolled"] + ["full"] * 9
    assert Enrollment.objects.filter(course=course, status="active").count() == 3
