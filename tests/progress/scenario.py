"""A course with a history: what most progress tests start from."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from classroom.choices import AttendanceStatus, LessonStatus
from courses.models import Course, Enrollment, Module
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

from .factories import (
    AttendanceFactory,
    GroupSessionFactory,
    LessonFactory,
    LessonSeatFactory,
    profile_of,
)


@dataclass
class Scenario:
    course: Course
    enrollment: Enrollment
    modules: list[Module]
    unreleased: Module
    next_lesson: object


def hours_from_now(h: float):
    return timezone.now().replace(second=0, microsecond=0) + timedelta(hours=h)


def build(people) -> Scenario:
    """The teacher's group course with student A actively enrolled and:
    - 3 released modules and 1 not yet released;
    - 1:1 lessons of the course for student A: past present, past absent, past cancelled (not planned),
      upcoming (the next lesson);
    - group sessions of the course: past with A's live seat (late), past with A's cancelled seat;
    - a lesson of student A with the teacher outside the course, and another student's lesson."""
    teacher = profile_of(people.teacher)
    course = CourseFactory(owner=people.teacher, title="Algebra")
    enrollment = EnrollmentFactory(course=course, student=people.student_a)
    modules = [ModuleFactory(course=course, title=f"Unit {i}", position=i) for i in range(3)]
    unreleased = ModuleFactory(
        course=course, title="Unit later", position=9, release_at=timezone.now() + timedelta(days=9)
    )
    a = people.student_a
    present = LessonFactory(
        teacher=teacher,
        student=a,
        course=course,
        start=hours_from_now(-72),
        notes="Worked on fractions.",
        homework="Exercises 1-5",
    )
    AttendanceFactory(lesson=present, student=a, status=AttendanceStatus.PRESENT)
    absent = LessonFactory(teacher=teacher, student=a, course=course, start=hours_from_now(-48))
    AttendanceFactory(lesson=absent, student=a, status=AttendanceStatus.ABSENT, note="Ill")
    LessonFactory(
        teacher=teacher,
        student=a,
        course=course,
        start=hours_from_now(-24),
        status=LessonStatus.CANCELLED,
    )
    next_lesson = LessonFactory(teacher=teacher, student=a, course=course, start=hours_from_now(30))
    LessonFactory(teacher=teacher, student=a, course=course, start=hours_from_now(60))
    group = GroupSessionFactory(course=course, start=hours_from_now(-96))
    LessonSeatFactory(lesson=group, student=a)
    AttendanceFactory(lesson=group, student=a, status=AttendanceStatus.LATE)
    dropped = GroupSessionFactory(course=course, start=hours_from_now(-120))
    LessonSeatFactory(lesson=dropped, student=a, cancelled_at=timezone.now())
    LessonFactory(teacher=teacher, student=a, start=hours_from_now(-150))
    LessonFactory(
        teacher=teacher, student=people.student_b, course=course, start=hours_from_now(-200)
    )
    return Scenario(course, enrollment, modules, unreleased, next_lesson)
