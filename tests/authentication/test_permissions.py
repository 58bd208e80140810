"""Who may manage whom (`authentication.permissions`): one rule, as a queryset and a predicate."""

import pytest
from django.contrib.auth.models import Group, Permission

from authentication.models import User
from authentication.permissions import user_may_manage, users_manageable_by
from cplatform.editorial import EDITORS, MODERATORS
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _in(*groups, **kwargs) -> User:
    user = UserFactory(**kwargs)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def _people() -> dict[str, tuple[User, bool]]:
    """Each kind of person → (the person, whether an Admin who is not a superuser manages them)."""
    own = StudentFactory()
    own.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return {
        "a student": (StudentFactory(), True),
        "a teacher": (TeacherFactory(), True),
        "a parent": (ParentFactory(), True),
        "another admin": (AdminFactory(), True),
        "someone with no group": (UserFactory(), True),
        "a superuser": (UserFactory(is_superuser=True, is_staff=True), False),
        "an editor": (_in(EDITORS), False),
        "a moderator": (_in(MODERATORS), False),
        "a student who is also a moderator": (_in("Student", MODERATORS), False),
        "someone in a custom group": (_in("Course reviewers"), False),
        "someone with a permission of their own": (own, False),
    }


def test_an_admin_manages_only_people_whose_every_right_they_could_grant():
    people = _people()
    admin = AdminFactory()
    manageable = set(users_manageable_by(admin).values_list("pk", flat=True))
    for kind, (person, expected) in people.items():
        assert user_may_manage(admin, person) is expected, kind
        assert (person.pk in manageable) is expected, kind


def test_a_superuser_manages_everyone():
    people = _people()
    boss = UserFactory(is_superuser=True, is_staff=True)
    assert users_manageable_by(boss).count() == User.objects.count()
    for kind, (person, _expected) in people.items():
        assert user_may_manage(boss, person), kind


def test_a_deactivated_superuser_manages_as_anyone_else():
    people = _people()
    former = UserFactory(is_superuser=True, is_staff=True, is_active=False)
    manageable = set(users_manageable_by(former).values_list("pk", flat=True))
    for kind, (person, expected) in people.items():
        assert user_may_manage(former, person) is expected, kind
        assert (person.pk in manageable) is expected, kind


def test_the_queryset_narrows_the_one_it_is_given():
    students = StudentFactory(), StudentFactory()
    moderator = _in(MODERATORS)
    within = User.objects.filter(pk__in=[students[0].pk, moderator.pk])
    assert list(users_manageable_by(AdminFactory(), within=within)) == [students[0]]
