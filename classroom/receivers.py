"""Profiles follow roles: every teacher has a teacher profile and every student a student profile."""

from django.dispatch import receiver

from authentication.choices import Role
from authentication.signals import role_granted

from .services import student_profile_ensure, teacher_profile_ensure


@receiver(role_granted)
def create_role_profile(sender, user, role, **kwargs):
    """Every teacher has a teacher profile and every student a student profile from the start."""
    if role == Role.TEACHER:
        teacher_profile_ensure(user=user)
    elif role == Role.STUDENT:
        student_profile_ensure(user=user)
