"""The django-q2 schedule of the sweep that releases unpaid pending enrolments, made by courses'
migration (which passes its historical `Schedule` model) and by the tests' base data after a flush."""

from django.utils import timezone

SCHEDULE = "Release unpaid enrolments"
FUNC = "courses.tasks.release_unpaid_enrollments"
EVERY_MINUTES = 5


def release_schedule_ensure(schedule_model) -> None:
    """One schedule, every 5 minutes, forever; running it again changes nothing but its settings."""
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def release_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
