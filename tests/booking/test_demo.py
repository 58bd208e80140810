"""The demo schedule: availability for every demo teacher, lessons for every demo student, once."""

import pytest
from django.utils import timezone

from classroom.choices import LessonStatus
from classroom.models import AvailabilityRule, Lesson
from classroom.scheduling.demo import load_demo_schedule
from tests.booking.factories import student
from tests.classroom.factories import listed_teacher

pytestmark = pytest.mark.django_db


def test_the_demo_schedule_gives_hours_and_lessons_and_loads_only_once():
    teachers = [listed_teacher() for _ in range(2)]
    students = [student() for _ in range(3)]

    load_demo_schedule()
    load_demo_schedule()

    for teacher in teachers:
        assert AvailabilityRule.objects.filter(teacher=teacher).count() == 10
    now = timezone.now()
    for learner in students:
        lessons = list(Lesson.objects.filter(student=learner))
        assert len(lessons) == 2
        assert sum(lesson.start > now for lesson in lessons) == 1
        assert any(lesson.status == LessonStatus.COMPLETED for lesson in lessons)
