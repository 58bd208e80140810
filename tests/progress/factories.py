"""Lessons, group sessions, seats, attendance, module completions and progress notes, written straight
to the database (the teaching services are built elsewhere; progress only reads these rows).

Each lesson gets its own two-hour slot from a sequence, so lessons of one teacher or student never
overlap (PostgreSQL's exclusion constraints would refuse them); pass `start` to place one."""

from datetime import timedelta

import factory
from django.utils import timezone

from classroom.choices import AttendanceStatus, LessonKind, LessonStatus
from classroom.models import Attendance, Lesson, LessonSeat, TeacherProfile
from courses.models import ModuleCompletion, ProgressNote
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

_ORIGIN = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=400)


def slot(n: int):
    """The n-th free two-hour slot, far in the future."""
    return _ORIGIN + timedelta(hours=2 * n)


def profile_of(user) -> TeacherProfile:
    return TeacherProfile.objects.get(user=user)


class LessonFactory(factory.django.DjangoModelFactory):
    """A scheduled 1:1 lesson of an hour (no course unless given)."""

    class Meta:
        model = Lesson

    teacher = factory.LazyFunction(lambda: profile_of(TeacherFactory()))
    kind = LessonKind.PRIVATE
    student = factory.SubFactory(StudentFactory)
    booked_by = factory.SelfAttribute("student")
    start = factory.Sequence(slot)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))
    status = LessonStatus.SCHEDULED


class GroupSessionFactory(factory.django.DjangoModelFactory):
    """A session of a group course, taught by the course's owner."""

    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    teacher = factory.LazyAttribute(lambda o: profile_of(o.course.owner))
    kind = LessonKind.GROUP
    title = factory.Sequence(lambda n: f"Session {n}")
    capacity = 10
    student = None
    booked_by = factory.SelfAttribute("course.owner")
    start = factory.Sequence(slot)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))
    status = LessonStatus.SCHEDULED


class LessonSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonSeat

    lesson = factory.SubFactory(GroupSessionFactory)
    student = factory.SubFactory(StudentFactory)
    booked_by = factory.SelfAttribute("student")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    lesson = factory.SubFactory(LessonFactory)
    student = factory.SelfAttribute("lesson.student")
    status = AttendanceStatus.PRESENT
    recorded_by = factory.SelfAttribute("lesson.teacher.user")


class ModuleCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleCompletion

    enrollment = factory.SubFactory(EnrollmentFactory)
    module = factory.SubFactory(ModuleFactory, course=factory.SelfAttribute("..enrollment.course"))
    marked_by = factory.SelfAttribute("enrollment.student")


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    enrollment = factory.SubFactory(EnrollmentFactory)
    author = factory.SelfAttribute("enrollment.course.owner")
    body = factory.Faker("sentence")
