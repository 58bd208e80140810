from decimal import Decimal

import factory

from classroom.models import Level, Subject, TeacherProfile, TeachingLanguage
from tests.authentication.factories import TeacherFactory


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"subject-{n}")
    name = factory.Sequence(lambda n: f"Subject {n}")


def listed_teacher(*, subjects=("mathematics",), levels=("beginner",), languages=("en",), rate="30.00", **user_kwargs):
    """An approved, public teacher with subjects, levels and languages from the seeded lookups."""
    user = TeacherFactory(**user_kwargs)
    profile = TeacherProfile.objects.get(user=user)
    profile.headline = f"{user.first_name} teaches {', '.join(subjects)}"
    profile.bio = "Experienced and patient."
    profile.hourly_rate = Decimal(rate) if rate is not None else None
    profile.is_public = True
    profile.is_approved = True
    profile.save()
    profile.subjects.set(Subject.objects.filter(slug__in=subjects))
    profile.levels.set(Level.objects.filter(code__in=levels))
    profile.languages.set(TeachingLanguage.objects.filter(code__in=languages))
    return profile
