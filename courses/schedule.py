"""The django-q2 schedule of the sweep that releases unpaid pending enrolments, made by courses'
migration (which passes its historical `Schedule` model) and by the tests' base data after a flush."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Release unpaid enrolments"
FUNC = "courses.tasks.release_unpaid_enrollments"
EVERY_MINUTES = 5


def release_schedule_ensure(schedule_model) -> None:
    """One schedule, every 5 minutes, forever; running it again changes nothing but its settings."""
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def release_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
