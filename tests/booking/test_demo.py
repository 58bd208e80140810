"""The demo schedule: availability for every demo teacher, 1:1 lessons (past ones taught, with attendance,
notes and homework, and an upcoming one) for every demo student, sessions with seats for a group course
under way, and progress for its students — all once, however often it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.choices import AttendanceStatus, LessonKind, LessonStatus
from classroom.models import Attendance, AvailabilityRule, Lesson, LessonSeat
from courses.models import ModuleCompletion, ProgressNote
from demo.schedule import UPCOMING_SESSIONS, load_demo_schedule
from tests.booking.factories import student, weeks_later
from tests.classroom.factories import listed_teacher
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "rules": AvailabilityRule.objects.count(),
        "lessons": Lesson.objects.count(),
        "seats": LessonSeat.objects.count(),
        "attendance": Attendance.objects.count(),
        "completions": ModuleCompletion.objects.count(),
        "notes": ProgressNote.objects.count(),
    }


def test_the_demo_schedule_gives_hours_and_taught_and_upcoming_lessons_and_loads_only_once():
    teachers = [listed_teacher() for _ in range(2)]
    students = [student() for _ in range(3)]

    load_demo_schedule()
    before = counts()
    load_demo_schedule()

    assert counts() == before
    for teacher in teachers:
        assert AvailabilityRule.objects.filter(teacher=teacher).count() == 10
    now = timezone.now()
    for learner in students:
        lessons = list(Lesson.objects.filter(student=learner).order_by("start"))
        assert len(lessons) == 3
        *past, upcoming = lessons
        assert upcoming.start > now and upcoming.status == LessonStatus.SCHEDULED
        for lesson in past:
            assert lesson.end < now
            assert lesson.status == LessonStatus.COMPLETED
            assert lesson.notes and lesson.homework and lesson.homework_due
            mark = lesson.attendances.get()
            assert mark.student == learner
            assert mark.status in {AttendanceStatus.PRESENT, AttendanceStatus.LATE}


def test_a_group_course_under_way_gets_past_sessions_taught_and_upcoming_ones_with_seats():
    teacher = listed_teacher()
    today = timezone.localdate()
    course = CourseFactory(
        owner=teacher.user,
        capacity=6,
        starts_on=today - timedelta(days=15),
        ends_on=today + timedelta(weeks=8),
    )
    modules = [ModuleFactory(course=course, position=n) for n in range(3)]
    enrolled = [EnrollmentFactory(course=course).student for _ in range(3)]

    load_demo_schedule()
    before = counts()
    load_demo_schedule()

    assert counts() == before
    now = timezone.now()
    sessions = list(Lesson.objects.filter(course=course).order_by("start"))
    assert all(s.kind == LessonKind.GROUP and s.capacity == 6 for s in sessions)
    past = [s for s in sessions if s.start < now]
    upcoming = [s for s in sessions if s.start > now]
    assert len(past) == 3 and len(upcoming) == UPCOMING_SESSIONS
    # Weekly on the teacher's wall clock: across a DST change the UTC gap is an hour more or less.
    assert [s.start for s in sessions] == [
        weeks_later(sessions[0].start, n, tz=teacher.user.timezone) for n in range(len(sessions))
    ]
    for session in sessions:
        seated = set(
            session.seats.filter(cancelled_at__isnull=True).values_list("student", flat=True)
        )
        assert seated == {s.pk for s in enrolled}
    for session in past:
        assert session.status == LessonStatus.COMPLETED
        assert session.notes and session.homework
        assert set(session.attendances.values_list("student", flat=True)) == seated
    for session in upcoming:
        assert session.status == LessonStatus.SCHEDULED and not session.attendances.exists()
    for learner in enrolled:
        enrollment = course.enrollments.get(student=learner)
        done = set(enrollment.module_completions.values_list("module", flat=True))
        assert done and done <= {m.pk for m in modules[:2]}
        assert enrollment.progress_notes.get().author == teacher.user
