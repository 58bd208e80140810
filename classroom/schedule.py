"""The django-q2 schedule of the lesson-hold sweep, made by classroom's migration 0013 (which passes
its historical `Schedule` model) and by the tests' base data after a flush (the real one)."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Expire unpaid lesson holds"
FUNC = "classroom.tasks.expire_lesson_holds"
EVERY_MINUTES = 1


def hold_sweep_schedule_ensure(schedule_model) -> None:
    """One schedule, every minute, forever; running it again changes nothing but its settings."""
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def hold_sweep_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
