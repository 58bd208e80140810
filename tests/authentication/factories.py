from datetime import date

import factory
from allauth.account.models import EmailAddress

from authentication.choices import Role
from authentication.models import User
from authentication.services import user_add_role

PASSWORD = "pass-1234-word"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified account; `roles=[...]` grants roles through the service (profiles follow)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    timezone = "Europe/Madrid"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"primary": True, "verified": True}
        )
        for role in extracted or []:
            user_add_role(user=self, role=role)
        _adult_unless_told(self, extracted or [])


class StudentFactory(UserFactory):
    roles = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _grant(obj, create, extracted or [Role.STUDENT])
    )


class TeacherFactory(UserFactory):
    roles = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _grant(obj, create, extracted or [Role.TEACHER])
    )


class ParentFactory(UserFactory):
    roles = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _grant(obj, create, extracted or [Role.PARENT])
    )


class AdminFactory(UserFactory):
    is_staff = True
    roles = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _grant(obj, create, extracted or [Role.ADMIN])
    )


def _grant(user, create, roles):
    if not create:
        return
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    for role in roles:
        user_add_role(user=user, role=role)
    _adult_unless_told(user, roles)


# Students are adults unless a test says otherwise (set the profile's date of birth, or clear it):
# booking and paid enrolment need a date of birth, and under 16 a guardian's consent.
ADULT_BIRTHDAY = date(1990, 1, 1)


def _adult_unless_told(user, roles):
    if Role.STUDENT not in roles:
        return
    # The profile the role grant made, as cached on `user` (so the object the test holds sees it).
    profile = getattr(user, "student_profile", None)
    if profile is not None and profile.date_of_birth is None:
        profile.date_of_birth = ADULT_BIRTHDAY
        profile.save(update_fields=["date_of_birth"])
