from datetime import datetime

from ninja import Field, Schema
from pydantic import field_validator

from cplatform.api_base import InputSchema, MultilineText

from ..choices import AttendanceStatus
from ..scheduling.schemas import sane_instant

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


class SessionFilter(Schema):
    when: str | None = Field(
        None,
        pattern="^(upcoming|past)$",
        description="upcoming: not yet ended, soonest first; past: ended, latest first",
    )


class SeatIn(InputSchema):
    student_id: int | None = Field(
        None, **ID, description="A parent names the linked child; a student omits it"
    )


class SeatOut(Schema):
    lesson_id: int
    student_id: int
    booked_by_id: int | None
    created_at: datetime
    cancelled_at: datetime | None


class AttendanceMarkIn(InputSchema):
    student_id: int = Field(..., **ID, description="The 1:1 student or a seat holder (user id)")
    status: AttendanceStatus
    note: str = Field("", max_length=300)


class LessonPatch(InputSchema):
    title: str | None = Field(None, max_length=160)
    notes: MultilineText | None = Field(
        None, max_length=10000, description="The student and parents read it"
    )
    homework: MultilineText | None = Field(None, max_length=10000)
    homework_due: datetime | None = None
    video_call_url: str | None = Field(
        None, max_length=500, description="An https:// address; empty or null removes it"
    )

    _sane = field_validator("homework_due")(sane_instant)

    @field_validator("title", "notes", "homework", "video_call_url")
    @classmethod
    def _null_clears(cls, value):
        return "" if value is None else value


class MaterialAttachIn(InputSchema):
    material_id: int = Field(..., **ID, description="A material of the lesson's course")
