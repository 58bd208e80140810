"""Seats in group sessions follow enrolments (courses' in-transaction signals: the seats commit or
roll back with the enrolment)."""

from django.dispatch import receiver

from courses.signals import enrollment_activated, enrollment_ended

from .services import seats_give_for_enrollment, seats_release_for_enrollment


@receiver(enrollment_activated)
def give_session_seats(sender, enrollment, **kwargs):
    """A student whose enrolment became active gets seats in the course's upcoming group sessions."""
    seats_give_for_enrollment(enrollment=enrollment)


@receiver(enrollment_ended)
def release_session_seats(sender, enrollment, **kwargs):
    """A student who left (or was removed from) a course gives up their seats in upcoming sessions."""
    seats_release_for_enrollment(enrollment=enrollment)
