"""Demo availability and lessons for `manage.py load_demo_data`, through the services (idempotent).

Each demo teacher gets weekday hours in their own zone; the demo students get upcoming lessons booked
from the free slots, and a few past lessons (recorded as completed: the booking service rightly refuses
times in the past)."""

from datetime import time, timedelta

from django.utils import timezone

from authentication.choices import Role
from authentication.models import User
from cplatform.exceptions import DomainError

from ..choices import LessonStatus
from ..models import AvailabilityRule, Lesson, TeacherProfile
from .selectors import SlotQuery, slots_for_teacher
from .services import availability_replace, lesson_book

WEEKDAY_HOURS = [
    {"weekday": day, "start_time": start, "end_time": end}
    for day in range(5)
    for start, end in ((time(9), time(13)), (time(16), time(20)))
]
SETTINGS = {
    "lesson_lengths": [30, 45, 60],
    "buffer_minutes": 10,
    "min_notice_minutes": 12 * 60,
    "horizon_days": 60,
    "cancellation_cutoff_hours": 24,
}


def load_demo_schedule() -> None:
    teachers = list(
        TeacherProfile.objects.filter(
            user__email__endswith="@example.com", user__groups__name=Role.TEACHER
        )
        .select_related("user")
        .order_by("user__email")
    )
    for teacher in teachers:
        if not AvailabilityRule.objects.filter(teacher=teacher).exists():
            availability_replace(teacher=teacher, rules=WEEKDAY_HOURS, settings=SETTINGS)
    students = list(
        User.objects.filter(email__endswith="@example.com", groups__name=Role.STUDENT)
        .exclude(groups__name=Role.TEACHER)
        .order_by("email")
    )
    if not teachers or not students or Lesson.objects.filter(student__in=students).exists():
        return
    now = timezone.now()
    for n, learner in enumerate(students):
        teacher = teachers[n % len(teachers)]
        _length, slots = slots_for_teacher(
            teacher=teacher,
            query=SlotQuery(start=now + timedelta(days=1), end=now + timedelta(days=15), length=60),
        )
        for start, _end in slots[n * 2 :]:
            try:
                lesson_book(actor=learner, teacher=teacher, student=learner, start=start, length=60)
                break
            except DomainError:
                continue
        past_start = (now - timedelta(days=7 + n)).replace(minute=0, second=0, microsecond=0)
        Lesson.objects.create(
            teacher=teacher,
            student=learner,
            booked_by=learner,
            start=past_start,
            end=past_start + timedelta(hours=1),
            status=LessonStatus.COMPLETED,
        )
