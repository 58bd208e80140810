"""The django-q2 schedule of the lesson-hold sweep, made by classroom's migration 0013 (which passes
its historical `Schedule` model) and by the tests' base data after a flush (the real one)."""

from django.utils import timezone

SCHEDULE = "Expire unpaid lesson holds"
FUNC = "classroom.tasks.expire_lesson_holds"
EVERY_MINUTES = 1


def hold_sweep_schedule_ensure(schedule_model) -> None:
    """One schedule, every minute, forever; running it again changes nothing but its settings."""
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def hold_sweep_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
