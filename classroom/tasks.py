"""classroom's scheduled jobs (django-q2). They take no objects: each loads what is due and calls a
service, and is safe to run twice."""

from .scheduling.services import lessons_hold_expire_due


def expire_lesson_holds() -> int:
    """Run every minute (classroom/schedule.py): expire the held bookings not paid in time, freeing
    their slots. Returns how many expired."""
    return lessons_hold_expire_due()
