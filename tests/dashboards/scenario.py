"""People and their weeks, as the role homes show them: built straight in the database (the homes only
read) at fixed instants, so what "today" and "this week" hold does not depend on when tests run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wagtail.models import Page

from authentication.services import guardian_accept, guardian_invite
from classroom.choices import AttendanceStatus, LessonStatus
from classroom.models import AvailabilityRule, StudentProfile
from courses.choices import CourseFormat
from tests.authentication.factories import ParentFactory, StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory
from tests.progress.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    LessonFactory,
    LessonSeatFactory,
    profile_of,
)

# Monday 7 December 2026, 08:00 UTC (09:00 in Madrid, 02:00 in Mexico City): the homes' "now".
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def link(parent, child):
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )


def ready_teacher(**kwargs):
    """A listed teacher with a complete profile, weekly availability and a course (onboarding done)."""
    teacher = TeacherFactory(**{"first_name": "Ana", "last_name": "García", **kwargs})
    profile = profile_of(teacher)
    profile.headline, profile.bio, profile.is_public, profile.is_approved = (
        "Maths tutor",
        "Patient.",
        True,
        True,
    )
    profile.save()
    from catalog.models import Subject

    profile.subjects.set(Subject.objects.all()[:1])
    AvailabilityRule.objects.create(
        teacher=profile,
        weekday=0,
        start_time=datetime(2000, 1, 1, 9).time(),
        end_time=datetime(2000, 1, 1, 12).time(),
    )
    return teacher


def student_week(student, teacher, *, video="https://meet.example.com/abc"):
    """The student's next lesson today (15:00 UTC), a later one, homework due, a course with
    progress and a paid course whose place is held."""
    profile = profile_of(teacher)
    course = CourseFactory(owner=teacher, title="Algebra", format=CourseFormat.ONE_TO_ONE)
    EnrollmentFactory(course=course, student=student)
    ModuleFactory(course=course, title="Unit 1", position=1)
    next_lesson = LessonFactory(
        teacher=profile,
        student=student,
        start=at(7),
        end=at(8),
        video_call_url=video,
        course=course,
    )
    later = LessonFactory(teacher=profile, student=student, start=at(31), end=at(32))
    set_work = LessonFactory(
        teacher=profile,
        student=student,
        start=at(-30),
        end=at(-29),
        homework="Exercises 1-5 on page 12",
        homework_due=at(50),
    )
    AttendanceFactory(lesson=set_work, student=student, status=AttendanceStatus.PRESENT)
    paid = CourseFactory(owner=teacher, title="Exam prep", price=40)
    EnrollmentFactory(course=paid, student=student, status="pending")
    return next_lesson, later, set_work


def minor(**kwargs):
    """A 12-year-old student (their guardian's consent is needed)."""
    child = StudentFactory(**kwargs)
    StudentProfile.objects.filter(user=child).update(date_of_birth=NOW.date().replace(year=2014))
    child.refresh_from_db()
    return child


def teacher_week(teacher, students):
    """Today a 1:1 lesson (12:00 UTC) and a group session; later this week one more lesson; an ended
    lesson without attendance and one with; a booking made yesterday and a cancellation."""
    profile = profile_of(teacher)
    group = CourseFactory(
        owner=teacher, title="Conversation club", format=CourseFormat.GROUP, capacity=8
    )
    for s in students:
        EnrollmentFactory(course=group, student=s)
    today = LessonFactory(teacher=profile, student=students[0], start=at(4), end=at(5))
    session = GroupSessionFactory(course=group, title="", capacity=8, start=at(6), end=at(7))
    LessonSeatFactory(lesson=session, student=students[0])
    week = LessonFactory(teacher=profile, student=students[1], start=at(50), end=at(51))
    unmarked = LessonFactory(teacher=profile, student=students[1], start=at(-26), end=at(-25))
    marked = LessonFactory(teacher=profile, student=students[0], start=at(-50), end=at(-49))
    AttendanceFactory(lesson=marked, student=students[0])
    cancelled = LessonFactory(
        teacher=profile,
        student=students[1],
        start=at(75),
        end=at(76),
        status=LessonStatus.CANCELLED,
        cancelled_at=at(-3),
        cancelled_by=students[1],
    )
    # Booked long ago, except the lesson later this week (a new booking).
    from classroom.models import Lesson

    Lesson.objects.filter(
        pk__in=[today.pk, session.pk, unmarked.pk, marked.pk, cancelled.pk]
    ).update(created_at=at(-24 * 20))
    Lesson.objects.filter(pk=week.pk).update(created_at=at(-20))
    return {
        "today": today,
        "session": session,
        "week": week,
        "unmarked": unmarked,
        "marked": marked,
        "cancelled": cancelled,
        "course": group,
    }


def submit_for_review(editor):
    """The site's home page submitted to its review workflow by `editor`."""
    page = Page.objects.get(depth=2).specific
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


__all__ = ["ParentFactory", "StudentFactory", "TeacherFactory"]
