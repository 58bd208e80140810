from datetime import UTC, date, datetime, time
from decimal import Decimal

from ninja import Field, Schema
from pydantic import field_validator

from catalog.choices import Currency, FreeCancellationOutcome
from cplatform.api_base import InputSchema
from cplatform.api_types import TimeZoneNameOut, WallClockTime

from ..choices import LessonMode

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
    start_time: WallClockTime = Field(..., examples=["17:00"])
    end_time: WallClockTime = Field(
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
    start_time: WallClockTime = Field(..., examples=["17:00:00"])
    end_time: WallClockTime = Field(
        ..., examples=["20:00:00"], description="00:00 is the midnight that ends the day."
    )


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
    free_cancellation_outcome: FreeCancellationOutcome


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
    timezone: TimeZoneNameOut = Field(
        ..., description="The teacher's zone: rules are wall-clock times in it."
    )
    rules: list[RuleOut]
    settings: SchedulingSettingsOut
    time_off: list[TimeOffOut]


class SlotOut(Schema):
    start: datetime
    end: datetime


class SlotsOut(Schema):
    teacher_id: int
    timezone: TimeZoneNameOut = Field(..., description="The zone the slots are given in.")
    length: int
    slots: list[SlotOut]


class BookingIn(InputSchema):
    teacher_id: int = Field(..., ge=1, le=2**63 - 1, description="The teacher's profile id")
    start: datetime = Field(
        ...,
        examples=["2027-03-29T17:00:00+02:00"],
        description="Without an offset, read in the caller's time zone.",
    )
    length: int | None = Field(
        None,
        ge=1,
        le=1440,
        description="Minutes: one of the teacher's `lesson_lengths` (another: 422 "
        "`length_not_offered`). Default: the teacher's `default_lesson_length`, as `/slots`.",
    )
    student_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="A parent names the linked child; a student omits it"
    )
    mode: LessonMode | None = Field(
        None,
        description="Online or in person, one the teacher offers (another: 422 "
        "`mode_not_offered`). Default: online when the teacher teaches online, else in person.",
    )
    expected_price: Decimal | None = Field(
        None,
        ge=0,
        le=Decimal("999999.99"),
        decimal_places=2,
        examples=["25.00"],
        description="The price per lesson shown to the person (the teacher's hourly rate for the "
        "length; 0 under a course). When given and the price is now different, nothing is booked: "
        "409 `price_changed` with the new price in its message. Omit it to book at the current "
        "price; the answer's `price` says what was stored.",
    )
    expected_currency: Currency | None = Field(
        None, description="The currency of `expected_price`; checked with it when given."
    )

    _sane = field_validator("start")(sane_instant)

    def expected(self) -> tuple[Decimal | None, str] | None:
        """The (price, currency) the booker was shown, for the service's check; None: unchecked."""
        if self.expected_price is None:
            return None
        return self.expected_price, self.expected_currency or ""


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


class CancelIn(InputSchema):
    reason: str = Field("", max_length=300)


class RescheduleIn(InputSchema):
    start: datetime = Field(..., examples=["2027-03-30T17:00:00+02:00"])

    _sane = field_validator("start")(sane_instant)
