from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import field_validator

from authentication.schemas import PersonBrief
from catalog.choices import Currency
from courses.schemas import CourseBrief, MaterialOut, StudentBrief, TeacherBrief
from cplatform.api_base import (
    ClearableMultilineText,
    ClearableText,
    InputSchema,
    PatchSchema,
    in_render_zone,
    sort_enum,
)
from cplatform.api_types import TimeZoneNameOut, WallClockTime

from ..choices import (
    AttendanceStatus,
    BillingOutcome,
    LessonKind,
    LessonMode,
    LessonStatus,
    LessonWhen,
)
from ..scheduling.schemas import sane_instant
from ..scheduling.selectors import lesson_payment_due
from .selectors import homework_done_by, homework_done_for, with_lesson_details

ID = {"ge": 1, "le": 2**63 - 1}


class SessionIn(InputSchema):
    start: datetime = Field(
        ...,
        examples=["2027-03-29T17:00:00+02:00"],
        description="Without an offset, read in the caller's time zone.",
    )
    length: int = Field(60, ge=1, le=1440, description="Minutes (15–480)")
    title: str = Field("", max_length=160, description="Default: the course's title")
    capacity: int | None = Field(None, ge=1, le=10000, description="Seats; default the course's")
    video_call_url: str = Field("", max_length=500, description="An https:// address")

    _sane = field_validator("start")(sane_instant)


LessonSort = sort_enum("LessonSort", {"start": ("start",)})
LESSON_ORDER = "Default: `start` (soonest first), or `-start` with `when=past`."


class SessionFilter(Schema):
    when: LessonWhen | None = Field(
        None,
        description="upcoming: not yet ended, soonest first; past: ended, latest first",
    )
    sort: LessonSort | None = Field(None, description=f"Order of the list. {LESSON_ORDER}")


class SeatIn(InputSchema):
    student_id: int | None = Field(
        None, **ID, description="A parent names the linked child; a student omits it"
    )


class AttendanceMarkIn(InputSchema):
    student_id: int = Field(..., **ID, description="The 1:1 student or a seat holder (user id)")
    status: AttendanceStatus
    note: str = Field("", max_length=300)


class LessonPatch(PatchSchema):
    title: ClearableText = Field(None, max_length=160)
    notes: ClearableMultilineText = Field(
        None, max_length=10000, description="The student and parents read it"
    )
    homework: ClearableMultilineText = Field(None, max_length=10000)
    homework_due: datetime | None = None
    video_call_url: ClearableText = Field(
        None, max_length=500, description="An https:// address; empty or null removes it"
    )

    _sane = field_validator("homework_due")(sane_instant)


class MaterialAttachIn(InputSchema):
    material_id: int = Field(..., **ID, description="A material of the lesson's course")


# --- lessons as the API shows them (booked in scheduling, run here) -------------------------------


class SeatOut(Schema):
    student: StudentBrief
    taken_at: datetime

    @staticmethod
    def resolve_taken_at(obj):
        return obj.created_at


class AttendanceOut(Schema):
    student: StudentBrief
    status: AttendanceStatus
    note: str
    recorded_at: datetime


class HomeworkDoneOut(Schema):
    student: StudentBrief
    done_at: datetime

    _zone = field_validator("done_at")(in_render_zone)


def _details(obj, context):
    """The per-caller parts of a lesson (seats, attendance, materials, seat count): from the prefetches
    of `with_lesson_details` when the selector made them; otherwise loaded here for this one lesson."""
    if not hasattr(obj, "visible_seats"):
        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        loaded = None
        if getattr(user, "is_authenticated", False):
            loaded = with_lesson_details(type(obj).objects.filter(pk=obj.pk), user=user).first()
        for name in (
            "visible_seats",
            "visible_attendance",
            "visible_materials",
            "visible_homework_done",
            "seats_taken",
        ):
            setattr(obj, name, getattr(loaded, name, [] if name != "seats_taken" else 0))
    return obj


class LessonOut(Schema):
    id: int
    kind: LessonKind = Field(
        ..., description="private (1:1) or group (a session of a group course)"
    )
    teacher: TeacherBrief
    student: StudentBrief | None = Field(
        ..., description="A 1:1 lesson's student; null for a group session (see `seats`)."
    )
    course: CourseBrief | None
    title: str = Field(
        ...,
        description="The title the teacher gave (a group session's defaults to its course's); "
        "often empty for a 1:1 lesson. Show `display_title`.",
    )
    display_title: str = Field(
        ...,
        description="The lesson's name for the caller, in their language: it names the other "
        'person ("Lesson with Ana García" for the student, "Lesson with Leo Ruiz" for the '
        'teacher, "Lesson with Ana García for Leo Ruiz" for the parent who booked); a group '
        "session names its course. The same as the pages and the calendar feed show.",
    )
    capacity: int | None = Field(..., description="Seats of a group session.")
    seats_taken: int = Field(..., description="Live seats of a group session (0 for 1:1).")
    seats: list[SeatOut] = Field(
        ...,
        description="Live seats the caller may see: all for the teacher, their own (or their "
        "children's) for a student or parent.",
    )
    booked_by: PersonBrief = Field(..., description="Who booked it: the student or a parent.")
    series_id: int | None = Field(..., description="`GET /series/{series_id}`; null: a one-off.")
    start: datetime
    end: datetime
    status: LessonStatus = Field(
        ...,
        description="held: booked, awaiting payment until `hold_expires_at` (it blocks the time "
        "but is not confirmed: not in calendar feeds, no reminders); expired: not paid in time, "
        "the time is free again; scheduled, completed, cancelled, no_show as they say.",
    )
    hold_expires_at: datetime | None = Field(
        ..., description="A held lesson: when it expires unless paid. Null otherwise."
    )
    payment_due: bool = Field(
        ..., description="The lesson is held: paying for it confirms it (see `hold_expires_at`)."
    )
    cancelled_by: PersonBrief | None
    cancelled_at: datetime | None
    cancelled_late: bool
    cancellation_reason: str
    billing_outcome: BillingOutcome
    price: Decimal | None = Field(
        ...,
        examples=["25.00"],
        description="The price shown when the lesson was booked, which billing charges: 0 when a "
        "course covers it; null when the teacher set no price, or for a group session (its "
        "course is paid instead).",
    )
    currency: Currency | None = Field(..., description="The currency of `price`; null with it.")
    mode: LessonMode = Field(..., description="Online or in person, as booked.")
    video_call_url: str
    notes: str
    homework: str
    homework_due: datetime | None
    homework_done: bool = Field(
        ...,
        description="The caller (the lesson's student) marked its homework done: "
        "`POST /lessons/{id}/homework/done`, undone with `DELETE`. False for anyone else.",
    )
    homework_done_by: list[HomeworkDoneOut] = Field(
        ...,
        description="Who marked the homework done, as the caller may see it: all the students "
        "for the teacher, their own (or their children's) for a student or parent.",
    )
    attendance: list[AttendanceOut] = Field(
        ..., description="As the caller may see it: all for the teacher, their own or children's."
    )
    materials: list[MaterialOut] = Field(
        ..., description="Materials shared in the lesson that the caller may open."
    )

    _zone = field_validator("start", "end", "cancelled_at", "homework_due", "hold_expires_at")(
        in_render_zone
    )

    @staticmethod
    def resolve_payment_due(obj, context):
        return lesson_payment_due(quote_or_lesson=obj)

    @staticmethod
    def resolve_display_title(obj, context):
        request = (context or {}).get("request")
        return obj.title_for(getattr(request, "auth", None) or getattr(request, "user", None))

    @staticmethod
    def resolve_currency(obj, context):
        return obj.currency if obj.price is not None and obj.currency else None

    @staticmethod
    def resolve_seats_taken(obj, context):
        return _details(obj, context).seats_taken or 0

    @staticmethod
    def resolve_seats(obj, context):
        return _details(obj, context).visible_seats

    @staticmethod
    def resolve_homework_done(obj, context):
        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        return homework_done_for(user=user, lesson=_details(obj, context))

    @staticmethod
    def resolve_homework_done_by(obj, context):
        return homework_done_by(_details(obj, context))

    @staticmethod
    def resolve_attendance(obj, context):
        return _details(obj, context).visible_attendance

    @staticmethod
    def resolve_materials(obj, context):
        return _details(obj, context).visible_materials


class SeriesOut(Schema):
    id: int
    teacher: TeacherBrief
    student: StudentBrief
    timezone: TimeZoneNameOut
    weekday: int
    local_start_time: WallClockTime
    length_minutes: int
    count: int | None
    until: date | None
    price: Decimal | None = Field(
        ...,
        examples=["25.00"],
        description="Each lesson's price as shown at booking (see lessons).",
    )
    currency: Currency | None
    mode: LessonMode
    lessons: list[LessonOut]

    @staticmethod
    def resolve_currency(obj, context):
        return obj.currency if obj.price is not None and obj.currency else None

    @staticmethod
    def resolve_lessons(obj, context):
        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        return list(with_lesson_details(obj.lessons.order_by("start", "pk"), user=user))
