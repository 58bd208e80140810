from dataclasses import dataclass

import pytest

from authentication.models import User
from authentication.services import guardian_accept, guardian_invite
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)


@dataclass
class People:
    """The principals every access rule is checked against."""

    student_a: User
    student_b: User
    parent_of_a: User
    teacher: User
    other_teacher: User
    admin: User


@pytest.fixture
def people(db) -> People:
    student_a = StudentFactory(email="student.a@example.com", first_name="Ada")
    student_b = StudentFactory(email="student.b@example.com", first_name="Bea")
    parent = ParentFactory(email="parent.a@example.com")
    link = guardian_invite(actor=parent, email=student_a.email, as_role="child")
    guardian_accept(link=link, actor=student_a)
    return People(
        student_a=student_a,
        student_b=student_b,
        parent_of_a=parent,
        teacher=TeacherFactory(email="teacher@example.com", first_name="Tom"),
        other_teacher=TeacherFactory(email="other.teacher@example.com", first_name="Olga"),
        admin=AdminFactory(email="admin@example.com"),
    )


def as_user(client, user):
    """The client, logged in (session cookie) as `user`, or anonymous for None."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client
