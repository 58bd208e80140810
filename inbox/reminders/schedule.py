"""The django-q2 schedule of the lesson reminders, made by the inbox's reminders data migration (which
passes its historical `Schedule` model) and by the tests' base data after a flush (the real one)."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Send lesson reminders"
FUNC = "inbox.reminders.tasks.send_lesson_reminders"
EVERY_MINUTES = 5


def reminder_schedule_ensure(schedule_model) -> None:
    """One schedule, every 5 minutes, forever; running it again changes nothing but its settings."""
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def reminder_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
