from datetime import UTC, date, datetime, time

from ninja import Field, Schema
from pydantic import field_validator

from catalog.choices import FreeCancellationOutcome
from courses.schemas import MaterialOut
from cplatform.api_base import InputSchema

from ..choices import (
    AttendanceStatus,
    BillingOutcome,
    LessonKind,
    LessonStatus,
)

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def sane_instant(value: datetime | None) -> datetime | None:
    """Refuse instants far outside any timetable (and ones whose offset cannot be applied)."""
    if value is None:
        return value
    try:
        probe = value if value.tzinfo else value.replace(tzinfo=UTC)
        ok = EARLIEST <= probe <= LATEST
    except (OverflowError, ValueError):
        ok = False
    if not ok:
        raise ValueError("Give a date between 2000 and 2100.")
    return value


class RuleIn(InputSchema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday", examples=[0])
    start_time: time = Field(..., examples=["17:00"])
    end_time: time = Field(
        ...,
        examples=["20:00"],
        description="00:00 (or 24:00) is the midnight that ends the day: 20:00–00:00 runs until "
        "midnight, 00:00–00:00 is the whole day.",
    )

    @field_validator("end_time", mode="before")
    @classmethod
    def _midnight(cls, value):
        return (
            "00:00" if isinstance(value, str) and value.strip() in ("24:00", "24:00:00") else value
        )

    @field_validator("start_time", "end_time")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("Give a wall-clock time without an offset: rules use your time zone.")
        return value


class RuleOut(Schema):
    weekday: int
    start_time: time
    end_time: time = Field(..., description="00:00 is the midnight that ends the day.")


class SchedulingSettingsIn(InputSchema):
    lesson_lengths: list[int] = Field(
        [60], min_length=1, max_length=8, examples=[[30, 45, 60]], description="Minutes (15–240)"
    )
    buffer_minutes: int = Field(0, ge=0, le=240)
    min_notice_minutes: int = Field(12 * 60, ge=0, le=60 * 24 * 30)
    horizon_days: int = Field(60, ge=1, le=366)
    cancellation_cutoff_hours: int = Field(24, ge=0, le=24 * 14)
    free_cancellation_outcome: FreeCancellationOutcome = FreeCancellationOutcome.REFUND


class SchedulingSettingsOut(Schema):
    lesson_lengths: list[int]
    buffer_minutes: int
    min_notice_minutes: int
    horizon_days: int
    cancellation_cutoff_hours: int
    free_cancellation_outcome: str


class TimeOffIn(InputSchema):
    start: datetime = Field(..., examples=["2027-08-01T00:00:00+02:00"])
    end: datetime = Field(..., examples=["2027-08-15T00:00:00+02:00"])
    reason: str = Field("", max_length=160)

    _sane = field_validator("start", "end")(sane_instant)


class TimeOffOut(Schema):
    id: int
    start: datetime
    end: datetime
    reason: str


class AvailabilityIn(InputSchema):
    rules: list[RuleIn] = Field(..., max_length=70)
    settings: SchedulingSettingsIn


class AvailabilityOut(Schema):
    timezone: str = Field(..., description="The teacher's zone: rules are wall-clock times in it.")
    rules: list[RuleOut]
    settings: SchedulingSettingsOut
    time_off: list[TimeOffOut]


class SlotOut(Schema):
    start: datetime
    end: datetime


class SlotsOut(Schema):
    teacher_id: int
    timezone: str = Field(..., description="The zone the slots are given in.")
    length: int
    slots: list[SlotOut]


class PersonOut(Schema):
    id: int
    name: str


class CourseRefOut(Schema):
    id: int
    title: str
    slug: str


class SeatOut(Schema):
    student: PersonOut = Field(..., description="`id` is the student's user id.")
    taken_at: datetime

    @staticmethod
    def resolve_student(obj):
        return {"id": obj.student_id, "name": obj.student.name}

    @staticmethod
    def resolve_taken_at(obj):
        return obj.created_at


class AttendanceOut(Schema):
    student: PersonOut = Field(..., description="`id` is the student's user id.")
    status: AttendanceStatus
    note: str
    recorded_at: datetime

    @staticmethod
    def resolve_student(obj):
        return {"id": obj.student_id, "name": obj.student.name}


def _details(obj, context):
    """The per-caller parts of a lesson (seats, attendance, materials, seat count): from the prefetches
    of `with_lesson_details` when the selector made them; otherwise loaded here for this one lesson."""
    if not hasattr(obj, "visible_seats"):
        from ..teaching.selectors import with_lesson_details

        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        loaded = None
        if getattr(user, "is_authenticated", False):
            loaded = with_lesson_details(type(obj).objects.filter(pk=obj.pk), user=user).first()
        for name in ("visible_seats", "visible_attendance", "visible_materials", "seats_taken"):
            setattr(obj, name, getattr(loaded, name, [] if name != "seats_taken" else 0))
    return obj


class LessonOut(Schema):
    id: int
    kind: LessonKind = Field(
        ..., description="private (1:1) or group (a session of a group course)"
    )
    teacher: PersonOut = Field(
        ..., description="`id` is the teacher's profile id (`/teachers/{id}`)."
    )
    student: PersonOut | None = Field(
        ..., description="A 1:1 lesson's student (`id`: user id); null for a group session."
    )
    course: CourseRefOut | None
    title: str
    capacity: int | None = Field(..., description="Seats of a group session.")
    seats_taken: int = Field(..., description="Live seats of a group session (0 for 1:1).")
    seats: list[SeatOut] = Field(
        ...,
        description="Live seats the caller may see: all for the teacher, their own (or their "
        "children's) for a student or parent.",
    )
    booked_by_id: int
    series_id: int | None
    start: datetime
    end: datetime
    status: LessonStatus
    cancelled_by_id: int | None
    cancelled_at: datetime | None
    cancelled_late: bool
    cancellation_reason: str
    billing_outcome: BillingOutcome
    video_call_url: str
    notes: str
    homework: str
    homework_due: datetime | None
    attendance: list[AttendanceOut] = Field(
        ..., description="As the caller may see it: all for the teacher, their own or children's."
    )
    materials: list[MaterialOut] = Field(
        ..., description="Materials shared in the lesson that the caller may open."
    )

    @staticmethod
    def resolve_teacher(obj):
        return {"id": obj.teacher_id, "name": obj.teacher.user.name}

    @staticmethod
    def resolve_student(obj):
        if obj.student_id is None:
            return None
        return {"id": obj.student_id, "name": obj.student.name}

    @staticmethod
    def resolve_course(obj):
        if obj.course_id is None:
            return None
        return {"id": obj.course_id, "title": obj.course.title, "slug": obj.course.slug}

    @staticmethod
    def resolve_seats_taken(obj, context):
        return _details(obj, context).seats_taken or 0

    @staticmethod
    def resolve_seats(obj, context):
        return _details(obj, context).visible_seats

    @staticmethod
    def resolve_attendance(obj, context):
        return _details(obj, context).visible_attendance

    @staticmethod
    def resolve_materials(obj, context):
        return _details(obj, context).visible_materials


class BookingIn(InputSchema):
    teacher_id: int = Field(..., ge=1, le=2**63 - 1, description="The teacher's profile id")
    start: datetime = Field(
        ...,
        examples=["2027-03-29T17:00:00+02:00"],
        description="Without an offset, read in the caller's time zone.",
    )
    length: int = Field(60, ge=1, le=1440, description="Minutes; one the teacher offers")
    student_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="A parent names the linked child; a student omits it"
    )

    _sane = field_validator("start")(sane_instant)


class LessonBookingIn(BookingIn):
    course_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="A 1:1 course the teacher teaches and the student is actively enrolled in; "
        "its materials can then be shared in the lesson",
    )


class SeriesIn(BookingIn):
    count: int | None = Field(None, ge=1, le=52, description="How many weekly lessons")
    until: date | None = Field(None, description="Or: weekly until this date (teacher's calendar)")

    @field_validator("until")
    @classmethod
    def _until_sane(cls, value):
        if value is not None and not date(2000, 1, 1) <= value <= date(2100, 1, 1):
            raise ValueError("Give a date between 2000 and 2100.")
        return value


class SeriesOut(Schema):
    id: int
    teacher: PersonOut
    student: PersonOut
    timezone: str
    weekday: int
    local_start_time: time
    length_minutes: int
    count: int | None
    until: date | None
    lessons: list[LessonOut]

    @staticmethod
    def resolve_lessons(obj, context):
        from ..teaching.selectors import with_lesson_details

        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        return list(with_lesson_details(obj.lessons.order_by("start", "pk"), user=user))

    @staticmethod
    def resolve_teacher(obj):
        return {"id": obj.teacher_id, "name": obj.teacher.user.name}

    @staticmethod
    def resolve_student(obj):
        return {"id": obj.student_id, "name": obj.student.name}


class CancelIn(InputSchema):
    reason: str = Field("", max_length=300)


class RescheduleIn(InputSchema):
    start: datetime = Field(..., examples=["2027-03-30T17:00:00+02:00"])

    _sane = field_validator("start")(sane_instant)
