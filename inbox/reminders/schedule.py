"""The django-q2 schedule of the lesson reminders, made by the inbox's reminders data migration (which
passes its historical `Schedule` model) and by the tests' base data after a flush (the real one)."""

from django.utils import timezone

SCHEDULE = "Send lesson reminders"
FUNC = "inbox.reminders.tasks.send_lesson_reminders"
EVERY_MINUTES = 5


def reminder_schedule_ensure(schedule_model) -> None:
    """One schedule, every 5 minutes, forever; running it again changes nothing but its settings."""
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def reminder_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
