from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from catalog.choices import Currency
from cplatform.api_base import InputSchema, MultilineText
from cplatform.api_types import SiteLanguage


class NamedOut(Schema):
    code: str
    name: str


class TeacherOut(Schema):
    id: int
    slug: str
    name: str
    avatar_url: str | None
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
    teaching_preferences: str
    url: str

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


class TeacherProfilePatch(InputSchema):
    headline: str | None = Field(None, max_length=160)
    bio: MultilineText | None = Field(None, max_length=5000)
    translations: dict[SiteLanguage, TeacherTranslation] | None = Field(
        None, description="Replaces all translations when given."
    )
    subjects: list[str] | None = Field(None, max_length=30)
    levels: list[str] | None = Field(None, max_length=10)
    languages: list[str] | None = Field(None, max_length=20)
    hourly_rate: Decimal | None = Field(
        None, ge=0, le=Decimal("999999.99"), multiple_of=Decimal("0.01")
    )
    currency: Currency | None = None
    teaches_online: bool | None = None
    teaches_in_person: bool | None = None
    location: str | None = Field(None, max_length=160)
    teaching_preferences: MultilineText | None = Field(None, max_length=2000)
    is_public: bool | None = None


class StudentOut(Schema):
    id: int
    name: str
    email: str
    avatar_url: str | None
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


class StudentProfilePatch(InputSchema):
    date_of_birth: date | None = Field(None, ge=date(1900, 1, 1))
    level: str | None = Field(None, max_length=32)
    learning_goals: MultilineText | None = Field(None, max_length=2000)


class StudentDateOfBirthIn(InputSchema):
    """What a guardian or an admin sets on a student's profile."""

    date_of_birth: date = Field(..., ge=date(1900, 1, 1))
