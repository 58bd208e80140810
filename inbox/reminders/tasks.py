"""The reminders' scheduled job (django-q2; the schedule is made by the inbox's reminders data
migration)."""

from .services import lesson_reminders_send


def send_lesson_reminders() -> int:
    """Run every 5 minutes: send the lesson reminders that are due."""
    return lesson_reminders_send()
