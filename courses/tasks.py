"""courses' scheduled jobs (django-q2). They take no objects: each loads what is due and calls a
service, and is safe to run twice."""

from .services import enrollments_release_unpaid_due


def release_unpaid_enrollments() -> int:
    """Run every 5 minutes (courses/schedule.py): release the pending enrolments not paid in time,
    returning their seats. Returns how many were released."""
    return enrollments_release_unpaid_due()
