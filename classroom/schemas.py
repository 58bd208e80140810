from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema

from catalog.choices import Currency
from cplatform.api_base import (
    ClearableMultilineText,
    ClearableText,
    InputSchema,
    MultilineText,
    PatchSchema,
)
from cplatform.api_http import AbsoluteURL
from cplatform.api_types import SiteLanguage

from .models import default_lesson_lengths
from .selectors import is_taking_bookings


def offered_lengths(teacher) -> list[int]:
    """The teacher's offered lesson lengths (their scheduling settings, loaded with the profile by
    `teacher_base`; the model's default when they never saved any)."""
    try:
        settings = teacher.scheduling_settings
    except ObjectDoesNotExist:
        settings = None
    lengths = settings.lesson_lengths if settings is not None else default_lesson_lengths()
    return [int(n) for n in lengths or ()]


class NamedOut(Schema):
    code: str
    name: str


class TeacherOut(Schema):
    id: int
    slug: str
    name: str
    avatar_url: AbsoluteURL | None
    headline: str
    bio: str
    subjects: list[NamedOut]
    levels: list[NamedOut]
    languages: list[NamedOut]
    hourly_rate: Decimal | None
    currency: Currency
    teaches_online: bool
    teaches_in_person: bool
    location: str
    teaching_preferences: str = Field(
        ..., description="How the teacher teaches, in the reader's language."
    )
    text_languages: dict[str, str] = Field(
        ...,
        description=(
            "The language each of `headline`, `bio` and `teaching_preferences` is written in "
            "(a text missing in the reader's language falls back to another one; label it so): "
            '`{"headline": "es", "bio": "en"}`. Empty texts are left out.'
        ),
    )
    url: AbsoluteURL
    lesson_lengths: list[int] = Field(
        ..., description="Lesson lengths the teacher offers (minutes), shortest first."
    )
    default_lesson_length: int = Field(
        ..., description="The length `/slots` and booking use when none is named."
    )
    taking_bookings: bool = Field(
        ...,
        description="Whether the teacher has set weekly availability. False: `/slots` has no "
        'times for them and the site shows "not taking bookings yet" instead of a Book button.',
    )

    @staticmethod
    def resolve_taking_bookings(obj):
        return is_taking_bookings(obj)

    @staticmethod
    def resolve_lesson_lengths(obj):
        return offered_lengths(obj)

    @staticmethod
    def resolve_default_lesson_length(obj):
        lengths = offered_lengths(obj)
        return lengths[0] if lengths else 60

    @staticmethod
    def resolve_name(obj):
        return obj.user.name

    @staticmethod
    def resolve_avatar_url(obj):
        return obj.user.avatar.url if obj.user.avatar else None

    @staticmethod
    def resolve_headline(obj):
        return obj.headline_display

    @staticmethod
    def resolve_bio(obj):
        return obj.bio_display

    @staticmethod
    def resolve_teaching_preferences(obj):
        return obj.teaching_preferences_display

    @staticmethod
    def resolve_text_languages(obj):
        texts = {field: obj.translated(field) for field in obj.TRANSLATABLE_FIELDS}
        return {field: text.language for field, text in texts.items() if text}

    @staticmethod
    def resolve_subjects(obj):
        return [{"code": s.slug, "name": s.label} for s in obj.subjects.all()]

    @staticmethod
    def resolve_levels(obj):
        return [{"code": lv.code, "name": lv.label} for lv in obj.levels.all()]

    @staticmethod
    def resolve_languages(obj):
        return [{"code": lang.code, "name": lang.label} for lang in obj.languages.all()]

    @staticmethod
    def resolve_url(obj):
        from django.urls import reverse

        return reverse("teacher-detail", kwargs={"slug": obj.slug})


class MyTeacherProfileOut(TeacherOut):
    """The teacher's own view: the texts as written (not translated for the reader) and the listing state."""

    is_public: bool
    is_approved: bool
    translations: dict[str, dict[str, str]]

    @staticmethod
    def resolve_headline(obj):
        return obj.headline

    @staticmethod
    def resolve_bio(obj):
        return obj.bio

    @staticmethod
    def resolve_teaching_preferences(obj):
        return obj.teaching_preferences

    @staticmethod
    def resolve_text_languages(obj):
        return {
            field: settings.LANGUAGE_CODE
            for field in obj.TRANSLATABLE_FIELDS
            if getattr(obj, field)
        }

    @staticmethod
    def resolve_translations(obj):
        # Only well-formed entries: an admin may have typed anything into the JSON field.
        raw = obj.translations if isinstance(obj.translations, dict) else {}
        return {
            lang: {k: v for k, v in fields.items() if isinstance(v, str)}
            for lang, fields in raw.items()
            if isinstance(fields, dict)
        }


class TeacherTranslation(InputSchema):
    headline: str | None = Field(None, max_length=160)
    bio: MultilineText | None = Field(None, max_length=5000)
    teaching_preferences: MultilineText | None = Field(None, max_length=2000)


class TeacherProfileIn(InputSchema):
    """PUT: the whole editable profile. `is_approved` is not here: only admins approve."""

    headline: str = Field("", max_length=160)
    bio: MultilineText = Field("", max_length=5000)
    translations: dict[SiteLanguage, TeacherTranslation] = Field(default_factory=dict)
    subjects: list[str] = Field(default_factory=list, max_length=30)
    levels: list[str] = Field(default_factory=list, max_length=10)
    languages: list[str] = Field(default_factory=list, max_length=20)
    hourly_rate: Decimal | None = Field(
        None, ge=0, le=Decimal("999999.99"), multiple_of=Decimal("0.01")
    )
    currency: Currency = Currency.EUR
    teaches_online: bool = True
    teaches_in_person: bool = False
    location: str = Field("", max_length=160)
    teaching_preferences: MultilineText = Field("", max_length=2000)
    is_public: bool = False


class TeacherProfilePatch(PatchSchema):
    headline: ClearableText = Field(None, max_length=160)
    bio: ClearableMultilineText = Field(None, max_length=5000)
    translations: dict[SiteLanguage, TeacherTranslation] = Field(
        None, description="Replaces all translations when given (`{}`: none)."
    )
    subjects: list[str] = Field(None, max_length=30)
    levels: list[str] = Field(None, max_length=10)
    languages: list[str] = Field(None, max_length=20)
    hourly_rate: Decimal | None = Field(
        None, ge=0, le=Decimal("999999.99"), multiple_of=Decimal("0.01")
    )
    currency: Currency = None
    teaches_online: bool = None
    teaches_in_person: bool = None
    location: ClearableText = Field(None, max_length=160)
    teaching_preferences: ClearableMultilineText = Field(None, max_length=2000)
    is_public: bool = None


class StudentOut(Schema):
    id: int
    name: str
    email: str
    avatar_url: AbsoluteURL | None
    date_of_birth: date | None
    level: NamedOut | None
    learning_goals: str

    @staticmethod
    def resolve_id(obj):
        return obj.user_id

    @staticmethod
    def resolve_name(obj):
        return obj.user.name

    @staticmethod
    def resolve_email(obj):
        return obj.user.email

    @staticmethod
    def resolve_avatar_url(obj):
        return obj.user.avatar.url if obj.user.avatar else None

    @staticmethod
    def resolve_level(obj):
        return {"code": obj.level.code, "name": obj.level.label} if obj.level else None


class StudentProfilePatch(PatchSchema):
    date_of_birth: date | None = Field(None, ge=date(1900, 1, 1))
    level: str | None = Field(None, max_length=32, description="A level code; null: none.")
    learning_goals: ClearableMultilineText = Field(None, max_length=2000)


class StudentDateOfBirthIn(InputSchema):
    """What a guardian or an admin sets on a student's profile."""

    date_of_birth: date = Field(..., ge=date(1900, 1, 1))
