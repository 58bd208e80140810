"""Every factory builds a usable, verified account with the roles it says."""

import pytest
from allauth.account.models import EmailAddress

from authentication.roles import user_roles
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "roles", "staff"),
    [
        (UserFactory, set(), False),
        (StudentFactory, {"Student"}, False),
        (TeacherFactory, {"Teacher"}, False),
        (ParentFactory, {"Parent"}, False),
        (AdminFactory, {"Admin"}, True),
    ],
)
def test_each_factory_builds_a_verified_account_with_its_roles(factory, roles, staff):
    user = factory()
    assert user_roles(user) == roles
    assert user.is_staff is staff
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user, email=user.email).verified


def test_factories_accept_extra_roles():
    user = StudentFactory(roles=["Student", "Parent"])
    assert user_roles(user) == {"Student", "Parent"}
