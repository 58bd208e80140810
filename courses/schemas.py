from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Schema

from catalog.choices import Currency, FreeCancellationOutcome
from cplatform.api_base import (
    BLANK_WHEN_CLEARED,
    ClearableMultilineText,
    InputSchema,
    MultilineText,
    PatchSchema,
)
from cplatform.api_http import AbsoluteURL
from cplatform.api_types import SiteLanguage

from .choices import CourseFormat, CourseStatus, EnrollmentStatus, MaterialKind

# A course's own free-cancellation outcome, or "" for the teacher's.
OutcomeCode = FreeCancellationOutcome | Literal[""]


class CodeName(Schema):
    code: str
    name: str


def _avatar_url(user) -> str | None:
    return user.avatar.url if user.avatar else None


class TeacherBrief(Schema):
    """A teacher named in another resource (a course's owner and teachers, a lesson, a series).
    Built from a teacher profile: `teacher_id` is what `/teachers/{teacher_id}` and `/slots`,
    `/lessons` and `/courses?teacher_id=` take."""

    teacher_id: int = Field(..., description="The teacher's id: `GET /teachers/{teacher_id}`.")
    slug: str = Field(..., description="For deep links: `GET /teachers/by-slug/{slug}`.")
    name: str
    avatar_url: AbsoluteURL | None

    @staticmethod
    def resolve_teacher_id(obj):
        return obj.pk

    @staticmethod
    def resolve_name(obj):
        return obj.user.name

    @staticmethod
    def resolve_avatar_url(obj):
        return _avatar_url(obj.user)


class StudentBrief(Schema):
    """A student named in another resource (an enrolment, a lesson, a seat, attendance, progress).
    Built from the student's user: `student_id` is what `/students/{student_id}` and every
    `student_id` parameter take."""

    student_id: int = Field(..., description="The student's id: `GET /students/{student_id}`.")
    name: str
    avatar_url: AbsoluteURL | None

    @staticmethod
    def resolve_student_id(obj):
        return obj.pk

    @staticmethod
    def resolve_avatar_url(obj):
        return _avatar_url(obj)


def teacher_profile_of(user):
    """The teacher profile of a course's teacher (every teacher has one: profiles follow roles),
    read through the reverse one-to-one the selectors load; no import of the classroom app."""
    return user.teacher_profile


class CourseOut(Schema):
    id: int
    slug: str
    title: str
    summary: str = Field(
        ...,
        description=(
            "In the reader's language when the course has it, else in the language "
            "`summary_language` names (label it)."
        ),
    )
    summary_language: str = Field(
        ..., description="The language `summary` is written in; empty when there is none."
    )
    translations: dict[str, dict[str, str]] = Field(
        ...,
        description='The texts in other languages as written: `{"es": {"summary": "…"}}`.',
    )
    format: CourseFormat
    status: CourseStatus
    price: Decimal
    currency: Currency
    is_free: bool
    capacity: int | None = Field(..., description="Seats; null means unlimited.")
    lessons_included: int | None = Field(
        ..., description="1:1 package: lessons an enrolment includes; null: single lessons."
    )
    cancellation_cutoff_hours: int | None = Field(
        ..., description="The course's cancellation cut-off in hours; null: the teacher's."
    )
    free_cancellation_outcome: OutcomeCode = Field(
        ..., description="refund or credit for a free cancellation; empty: the teacher's."
    )
    seats_taken: int = Field(..., description="Active and pending (awaiting payment) enrolments.")
    seats_left: int | None
    subject: CodeName
    level: CodeName | None
    language: CodeName | None
    starts_on: date | None
    ends_on: date | None
    owner: TeacherBrief
    teachers: list[TeacherBrief] = Field(..., description="Every teacher, the owner included.")
    url: AbsoluteURL

    @staticmethod
    def resolve_summary(obj):
        return obj.summary_display

    @staticmethod
    def resolve_translations(obj):
        # Only well-formed entries: an admin may have typed anything into the JSON field.
        raw = obj.translations if isinstance(obj.translations, dict) else {}
        return {
            lang: {k: v for k, v in fields.items() if isinstance(v, str)}
            for lang, fields in raw.items()
            if isinstance(fields, dict)
        }

    @staticmethod
    def resolve_summary_language(obj):
        return obj.summary_display.language

    @staticmethod
    def resolve_seats_taken(obj):
        return getattr(obj, "seats_taken", 0)

    @staticmethod
    def resolve_seats_left(obj):
        if obj.capacity is None:
            return None
        return max(obj.capacity - getattr(obj, "seats_taken", 0), 0)

    @staticmethod
    def resolve_subject(obj):
        return {"code": obj.subject.slug, "name": obj.subject.label}

    @staticmethod
    def resolve_level(obj):
        return {"code": obj.level.code, "name": obj.level.label} if obj.level else None

    @staticmethod
    def resolve_language(obj):
        return {"code": obj.language.code, "name": obj.language.label} if obj.language else None

    @staticmethod
    def resolve_owner(obj):
        return teacher_profile_of(obj.owner)

    @staticmethod
    def resolve_teachers(obj):
        return [teacher_profile_of(t) for t in obj.teachers.all()]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


_TITLE = Field(..., min_length=1, max_length=160, examples=["Algebra for beginners"])


class CourseTranslation(InputSchema):
    summary: MultilineText | None = Field(None, max_length=2000)


class CourseIn(InputSchema):
    title: str = _TITLE
    summary: MultilineText = Field(
        "", max_length=2000, description="In the site's default language (en)."
    )
    translations: dict[SiteLanguage, CourseTranslation] = Field(
        default_factory=dict,
        description='The summary in other languages: `{"es": {"summary": "…"}}`.',
    )
    format: CourseFormat
    price: Decimal = Field(
        Decimal("0"), ge=0, le=Decimal("999999.99"), decimal_places=2, description="0: free"
    )
    currency: Currency = Currency.EUR
    capacity: int | None = Field(None, ge=1, le=100000, description="Required for group courses")
    lessons_included: int | None = Field(
        None, ge=1, le=500, description="1:1 courses: lessons in the package (null: single lessons)"
    )
    cancellation_cutoff_hours: int | None = Field(
        None, ge=0, le=336, description="Own cancellation cut-off in hours (null: the teacher's)"
    )
    free_cancellation_outcome: OutcomeCode = Field("", description="Empty: the teacher's")
    subject: str = Field(..., max_length=80, examples=["mathematics"], description="Subject slug")
    level: str | None = Field(None, max_length=32, examples=["beginner"])
    language: str | None = Field(None, max_length=8, examples=["en"])
    starts_on: date | None = None
    ends_on: date | None = None
    status: CourseStatus = CourseStatus.DRAFT


class CoursePatch(PatchSchema):
    title: str = Field(None, min_length=1, max_length=160)
    summary: ClearableMultilineText = Field(None, max_length=2000)
    translations: dict[SiteLanguage, CourseTranslation] = Field(
        None, description="Replaces all translations when given (`{}`: none)."
    )
    format: CourseFormat = None
    price: Decimal = Field(None, ge=0, le=Decimal("999999.99"), decimal_places=2)
    currency: Currency = None
    capacity: int | None = Field(None, ge=1, le=100000, description="null: none (1:1 courses)")
    lessons_included: int | None = Field(None, ge=1, le=500, description="null: single lessons")
    cancellation_cutoff_hours: int | None = Field(
        None, ge=0, le=336, description="null: the teacher's"
    )
    free_cancellation_outcome: Annotated[OutcomeCode | None, BLANK_WHEN_CLEARED] = Field(
        None, description="Empty or null: the teacher's"
    )
    subject: str = Field(None, max_length=80)
    level: str | None = Field(None, max_length=32)
    language: str | None = Field(None, max_length=8)
    starts_on: date | None = None
    ends_on: date | None = None
    status: CourseStatus = None


class CourseBrief(Schema):
    """A course named in another resource (an enrolment, a lesson, progress)."""

    course_id: int = Field(..., description="The course's id: `GET /courses/{course_id}`.")
    slug: str
    title: str
    format: CourseFormat
    url: AbsoluteURL = Field(..., description="The course's page on the site.")

    @staticmethod
    def resolve_course_id(obj):
        return obj.pk

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class EnrollmentOut(Schema):
    id: int
    course: CourseBrief
    student: StudentBrief
    status: EnrollmentStatus = Field(
        ...,
        description="pending: a paid course's seat held until `payment_due_by`; expired: not paid "
        "in time, the seat was released; active, waitlisted, withdrawn, removed as they say.",
    )
    created_at: datetime
    activated_at: datetime | None
    payment_due_by: datetime | None = Field(
        ..., description="A pending enrolment: paid by then, or released. Null otherwise."
    )
    ended_at: datetime | None


class EnrollmentIn(InputSchema):
    course_id: int = Field(..., ge=1, le=2**31 - 1)
    student_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="A parent names a linked child; default: yourself."
    )
    waitlist: bool = Field(
        False, description="When the course is full, join its waitlist instead of answering 409."
    )


class MaterialOut(Schema):
    id: int
    course_id: int
    module_id: int | None
    module_title: str | None
    title: str
    kind: MaterialKind
    url: str | None = Field(..., description="Links only.")
    body: str | None = Field(..., description="Texts only.")
    file_name: str | None
    download_url: AbsoluteURL | None
    release_at: datetime | None

    @staticmethod
    def resolve_module_title(obj):
        return obj.module.title if obj.module else None

    @staticmethod
    def resolve_url(obj):
        return obj.url or None

    @staticmethod
    def resolve_body(obj):
        return obj.body or None

    @staticmethod
    def resolve_file_name(obj):
        return obj.original_name or None if obj.file else None

    @staticmethod
    def resolve_download_url(obj):
        if not obj.file:
            return None
        return reverse("api:download_material", kwargs={"material_id": obj.pk})


class ModuleTranslation(InputSchema):
    title: str | None = Field(None, max_length=160)
    description: MultilineText | None = Field(None, max_length=5000)


class ModuleIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=160, examples=["Week 1: fractions"])
    description: MultilineText = Field("", max_length=5000)
    translations: dict[SiteLanguage, ModuleTranslation] = Field(
        default_factory=dict,
        description='Title and description in other languages: `{"es": {"title": "…"}}`.',
    )
    position: int | None = Field(None, ge=0, le=100000, description="Default: after the others.")
    release_at: datetime | None = Field(None, description="Students see it from then on.")


class ModuleOut(Schema):
    id: int
    course_id: int
    title: str = Field(
        ..., description="In the reader's language when the module has it (see `text_languages`)."
    )
    description: str
    text_languages: dict[str, str] = Field(
        ...,
        description='The language `title` and `description` are in: `{"title": "es", "description": "en"}`.',
    )
    position: int
    release_at: datetime | None

    @staticmethod
    def resolve_title(obj):
        return obj.title_display

    @staticmethod
    def resolve_description(obj):
        return obj.description_display

    @staticmethod
    def resolve_text_languages(obj):
        texts = {field: obj.translated(field) for field in obj.TRANSLATABLE_FIELDS}
        return {field: text.language for field, text in texts.items() if text}


class MaterialIn(InputSchema):
    """Multipart form fields; a `file` part is required for `kind=file`."""

    title: str = Field(..., min_length=1, max_length=160)
    kind: MaterialKind
    module_id: int | None = Field(None, ge=1, le=2**31 - 1)
    url: str = Field("", max_length=500, description="For links")
    body: MultilineText = Field("", max_length=20000, description="For texts")
    release_at: datetime | None = None
