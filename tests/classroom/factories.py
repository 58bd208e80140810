from decimal import Decimal

import factory

from catalog.models import Level, Subject, TeachingLanguage
from classroom.models import StudentProfile, TeacherProfile
from tests.authentication.factories import StudentFactory, TeacherFactory


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"subject-{n}")
    name = factory.Sequence(lambda n: f"Subject {n}")
    translations = factory.LazyAttribute(lambda o: {"es": f"{o.name} (es)"})


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.Sequence(lambda n: f"Level {n}")
    position = factory.Sequence(lambda n: 100 + n)


class TeachingLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingLanguage
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"x{n}")
    name = factory.Sequence(lambda n: f"Language {n}")


class _RoleProfileFactory(factory.django.DjangoModelFactory):
    """Granting a role creates the empty profile; these factories fill it in instead of adding a second."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        profile, _created = model_class.objects.get_or_create(user=kwargs.pop("user"))
        for name, value in kwargs.items():
            setattr(profile, name, value)
        profile.save()
        return profile


def _set_codes(relation: str, model, code_field: str):
    def setter(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            getattr(obj, relation).set(model.objects.filter(**{f"{code_field}__in": extracted}))

    return factory.PostGeneration(setter)


class TeacherProfileFactory(_RoleProfileFactory):
    """A teacher's profile; not listed unless `is_public=True, is_approved=True`.
    `subjects=["mathematics"]`, `levels=[...]`, `languages=[...]` take codes of the seeded lookups."""

    class Meta:
        model = TeacherProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(TeacherFactory)
    headline = factory.Faker("sentence", nb_words=6)
    bio = factory.Faker("paragraph")
    hourly_rate = Decimal("25.00")
    subjects = _set_codes("subjects", Subject, "slug")
    levels = _set_codes("levels", Level, "code")
    languages = _set_codes("languages", TeachingLanguage, "code")


class StudentProfileFactory(_RoleProfileFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(StudentFactory)
    learning_goals = factory.Faker("sentence")


def listed_teacher(
    *,
    subjects=("mathematics",),
    levels=("beginner",),
    languages=("en",),
    rate="30.00",
    translations=None,
    **user_kwargs,
):
    """An approved, public teacher with subjects, levels and languages from the seeded lookups."""
    user = TeacherFactory(**user_kwargs)
    profile = TeacherProfile.objects.get(user=user)
    profile.headline = f"{user.first_name} teaches {', '.join(subjects)}"
    profile.bio = "Experienced and patient."
    profile.translations = translations or {}
    profile.hourly_rate = Decimal(rate) if rate is not None else None
    profile.is_public = True
    profile.is_approved = True
    profile.save()
    profile.subjects.set(Subject.objects.filter(slug__in=subjects))
    profile.levels.set(Level.objects.filter(code__in=levels))
    profile.languages.set(TeachingLanguage.objects.filter(code__in=languages))
    return profile
