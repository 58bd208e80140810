from django.dispatch import receiver

from authentication.choices import Role
from authentication.signals import role_granted
from courses.signals import enrollment_activated, enrollment_ended

from .services import student_profile_ensure, teacher_profile_ensure
from .teaching.services import seats_give_for_enrollment, seats_release_for_enrollment


@receiver(role_granted)
def create_role_profile(sender, user, role, **kwargs):
    """Every teacher has a teacher profile and every student a student profile from the start."""
    if role == Role.TEACHER:
        teacher_profile_ensure(user=user)
    elif role == Role.STUDENT:
        student_profile_ensure(user=user)


@receiver(enrollment_activated)
def give_session_seats(sender, enrollment, **kwargs):
    """A student whose enrolment became active gets seats in the course's upcoming group sessions."""
    seats_give_for_enrollment(enrollment=enrollment)


@receiver(enrollment_ended)
def release_session_seats(sender, enrollment, **kwargs):
    """A student who left (or was removed from) a course gives up their seats in upcoming sessions."""
    seats_release_for_enrollment(enrollment=enrollment)
