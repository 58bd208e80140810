"""Availability, slots, lessons and series. Operations parse, call one selector or service, answer."""

from datetime import datetime, timedelta
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from authentication.api_auth import auth_for
from authentication.choices import Role
from cplatform.api_base import LimitOffset, errors
from cplatform.exceptions import ValidationFailed

from ..api import _in_callers_language
from ..services import teacher_profile_ensure
from ..teaching import selectors as teaching_selectors
from ..teaching import services as teaching_services
from ..teaching.schemas import LessonPatch
from . import selectors, services
from .schemas import (
    AvailabilityIn,
    AvailabilityOut,
    BookingIn,
    CancelIn,
    LessonBookingIn,
    LessonOut,
    RescheduleIn,
    SeriesIn,
    SeriesOut,
    SlotsOut,
    TimeOffIn,
    TimeOffOut,
    sane_instant,
)
from .wallclock import is_valid_zone, zone

router = Router(tags=["scheduling"])
router.add_decorator(_in_callers_language, mode="view")

BOOKERS = (Role.STUDENT, Role.PARENT)


def _viewer(request):
    """The signed-in person on an operation that anyone may call, or None."""
    for auth in auth_for():
        try:
            user = auth(request)
        except Exception:  # noqa: BLE001 - a bad token on a public operation reads as anonymous
            user = None
        if user:
            return user
    return None


def _aware(value: datetime, tz_name: str) -> datetime:
    """An instant; a time without offset is read in the caller's zone."""
    if timezone.is_aware(value):
        return value
    try:
        return timezone.make_aware(value, zone(tz_name))
    except (OverflowError, ValueError) as exc:
        raise ValidationFailed(errors={"start": ["Give a valid date and time."]}) from exc


def _availability(teacher) -> dict:
    return {
        "timezone": teacher.user.timezone,
        "rules": selectors.availability_rules_of(teacher=teacher),
        "settings": selectors.scheduling_settings_of(teacher=teacher),
        "time_off": list(selectors.time_off_of(teacher=teacher)),
    }


@router.get(
    "/availability",
    response={200: AvailabilityOut, **errors(401, 403)},
    auth=auth_for(Role.TEACHER),
)
def retrieve_my_availability(request):
    """The caller's weekly rules (wall-clock times in their own zone), settings and time off."""
    return _availability(teacher_profile_ensure(user=request.auth))


@router.put(
    "/availability",
    response={200: AvailabilityOut, **errors(400, 401, 403)},
    auth=auth_for(Role.TEACHER),
)
def replace_my_availability(request, payload: AvailabilityIn):
    """Replace the caller's weekly rules and scheduling settings."""
    teacher = teacher_profile_ensure(user=request.auth)
    services.availability_replace(
        teacher=teacher,
        rules=[r.model_dump() for r in payload.rules],
        settings=payload.settings.model_dump(mode="python"),
    )
    teacher.refresh_from_db()
    return _availability(teacher)


@router.post(
    "/availability/time-off",
    response={201: TimeOffOut, **errors(400, 401, 403)},
    auth=auth_for(Role.TEACHER),
)
def add_time_off(request, payload: TimeOffIn):
    """Time off (holidays, a sick day): no lesson can be booked in it. Existing lessons stay."""
    teacher = teacher_profile_ensure(user=request.auth)
    tz = request.auth.timezone
    return Status(
        201,
        services.time_off_add(
            teacher=teacher,
            start=_aware(payload.start, tz),
            end=_aware(payload.end, tz),
            reason=payload.reason,
        ),
    )


@router.delete(
    "/availability/time-off/{time_off_id}",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(Role.TEACHER),
)
def delete_time_off(request, time_off_id: int):
    exception = selectors.time_off_get_for_teacher(user=request.auth, exception_id=time_off_id)
    services.time_off_delete(actor=request.auth, exception=exception)
    return Status(204, None)


class SlotFilter(Schema):
    teacher_id: int = Field(..., ge=1, le=2**63 - 1, description="The teacher's profile id")
    from_: datetime | None = Field(None, alias="from", description="Default: now")
    to: datetime | None = Field(None, description="Default: 7 days after `from`; at most 31 days")
    length: int | None = Field(
        None, ge=1, le=1440, description="Minutes; default the first offered"
    )
    tz: str | None = Field(
        None, max_length=64, description="Zone of the answer; default the caller's, or UTC"
    )

    _sane = field_validator("from_", "to")(sane_instant)


@router.get("/slots", response={200: SlotsOut, **errors(400, 404)})
def list_slots(request, filters: Query[SlotFilter]):
    """Bookable slots of a listed teacher, in the caller's time zone (or `tz`). Anyone may ask."""
    viewer = _viewer(request)
    tz_name = filters.tz or (viewer.timezone if viewer else "UTC")
    if not is_valid_zone(tz_name):
        raise ValidationFailed(errors={"tz": ["Give an IANA time zone such as Europe/Madrid."]})
    teacher = selectors.teacher_get_bookable(teacher_id=filters.teacher_id, viewer=viewer)
    try:
        start = _aware(filters.from_, tz_name) if filters.from_ else timezone.now()
        end = _aware(filters.to, tz_name) if filters.to else start + timedelta(days=7)
        query = selectors.SlotQuery(start=start, end=end, length=filters.length)
        length, slots = selectors.slots_for_teacher(teacher=teacher, query=query)
    except OverflowError as exc:
        raise ValidationFailed(errors={"to": ["Give dates between 2000 and 2100."]}) from exc
    tz = zone(tz_name)
    return {
        "teacher_id": teacher.pk,
        "timezone": tz_name,
        "length": length,
        "slots": [{"start": s.astimezone(tz), "end": e.astimezone(tz)} for s, e in slots],
    }


class LessonFilter(Schema):
    when: Literal["upcoming", "past"] | None = Field(
        None, description="upcoming: not yet ended, soonest first; past: ended, latest first"
    )


@router.get("/lessons", response={200: list[LessonOut], **errors(401)}, auth=auth_for())
@paginate(LimitOffset)
def list_lessons(request, filters: Query[LessonFilter]):
    """Lessons the caller teaches, takes (1:1 or a seat in a group session), or (a parent) their
    linked children take; admins: all. Seats, attendance and materials as the caller may see them."""
    return teaching_selectors.with_lesson_details(
        selectors.lesson_list_for_user(user=request.auth, when=filters.when), user=request.auth
    )


def _lesson_out(request, lesson_id: int):
    return teaching_selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)


def _booking_parts(request, payload: BookingIn):
    student = selectors.student_get_for_booking(user=request.auth, student_id=payload.student_id)
    teacher = selectors.teacher_get_bookable(teacher_id=payload.teacher_id, viewer=request.auth)
    return teacher, student, _aware(payload.start, request.auth.timezone)


@router.post(
    "/lessons",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*BOOKERS),
)
def book_lesson(request, payload: LessonBookingIn):
    """Book a free slot: a student for themself, a parent for a linked child (`student_id`),
    optionally within a 1:1 course (`course_id`). A slot taken meanwhile answers 409."""
    teacher, student, start = _booking_parts(request, payload)
    lesson = services.lesson_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        start=start,
        length=payload.length,
        course_id=payload.course_id,
    )
    return Status(201, _lesson_out(request, lesson.pk))


@router.get("/lessons/{lesson_id}", response={200: LessonOut, **errors(401, 404)}, auth=auth_for())
def retrieve_lesson(request, lesson_id: int):
    """A lesson the caller teaches or takes (or their child); a group session also for the course's
    actively enrolled students and their parents (so they can take a seat)."""
    return _lesson_out(request, lesson_id)


@router.patch(
    "/lessons/{lesson_id}",
    response={200: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
    tags=["teaching"],
)
def update_lesson(request, lesson_id: int, payload: LessonPatch):
    """The lesson's teacher (or an admin) writes notes, homework (+ due date), the title and the
    video-call link (https only). Students and parents read them; others get 404."""
    lesson = selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    teaching_services.lesson_update(
        actor=request.auth, lesson=lesson, data=payload.model_dump(exclude_unset=True)
    )
    return _lesson_out(request, lesson_id)


@router.post(
    "/lessons/{lesson_id}/cancel",
    response={200: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
)
def cancel_lesson(request, lesson_id: int, payload: CancelIn):
    """Cancel under the lesson's cancellation policy (its course's, else the teacher's); the outcome
    (refund / credit / charge) is in the answer."""
    lesson = selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.lesson_cancel(lesson=lesson, actor=request.auth, reason=payload.reason)
    return _lesson_out(request, lesson_id)


@router.post(
    "/lessons/{lesson_id}/reschedule",
    response={200: LessonOut, **errors(400, 401, 404, 409)},
    auth=auth_for(),
)
def reschedule_lesson(request, lesson_id: int, payload: RescheduleIn):
    lesson = selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.lesson_reschedule(
        lesson=lesson, actor=request.auth, start=_aware(payload.start, request.auth.timezone)
    )
    return _lesson_out(request, lesson_id)


@router.post(
    "/series",
    response={201: SeriesOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*BOOKERS),
)
def book_series(request, payload: SeriesIn):
    """Book weekly lessons at the first lesson's wall-clock time in the teacher's zone, `count` times or
    until a date. All or nothing: 409 lists every date that is not free."""
    teacher, student, start = _booking_parts(request, payload)
    series = services.series_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        first_start=start,
        length=payload.length,
        count=payload.count,
        until=payload.until,
    )
    return Status(201, selectors.series_get_for_user(user=request.auth, series_id=series.pk))


@router.get("/series/{series_id}", response={200: SeriesOut, **errors(401, 404)}, auth=auth_for())
def retrieve_series(request, series_id: int):
    return selectors.series_get_for_user(user=request.auth, series_id=series_id)


@router.post(
    "/series/{series_id}/cancel",
    response={200: SeriesOut, **errors(400, 401, 404)},
    auth=auth_for(),
)
def cancel_series(request, series_id: int, payload: CancelIn):
    """Cancel every lesson of the series that has not started yet, each under its cancellation policy
    (its course's, else the teacher's)."""
    series = selectors.series_get_for_user(user=request.auth, series_id=series_id)
    services.series_cancel(series=series, actor=request.auth, reason=payload.reason)
    return selectors.series_get_for_user(user=request.auth, series_id=series_id)
