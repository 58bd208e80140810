"""Availability, slots, lessons and series. Operations parse, call one selector or service, answer."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from authentication.api_auth import api_viewer, auth_for
from authentication.choices import Role
from cplatform.api_base import errors, refuse_query_values
from cplatform.api_http import location
from cplatform.exceptions import InvalidQuery, ValidationFailed

from ..services import teacher_profile_ensure
from . import selectors, services
from .schemas import (
    AvailabilityIn,
    AvailabilityOut,
    SlotsOut,
    TimeOffIn,
    TimeOffOut,
    sane_instant,
)
from .wallclock import is_valid_zone, zone

router = Router(tags=["scheduling"])

BOOKERS = (Role.STUDENT, Role.PARENT)


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
@location("api:retrieve_time_off", time_off_id="id")
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


@router.get(
    "/availability/time-off/{time_off_id}",
    response={200: TimeOffOut, **errors(401, 403, 404)},
    auth=auth_for(Role.TEACHER),
)
def retrieve_time_off(request, time_off_id: int):
    """One time off of the teacher's (as in `GET /availability`); another teacher's answers 404."""
    return selectors.time_off_get_for_teacher(user=request.auth, exception_id=time_off_id)


@router.delete(
    "/availability/time-off/{time_off_id}",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(Role.TEACHER),
)
def delete_time_off(request, time_off_id: int):
    """Remove a time off of the teacher's; slots in it are offered again."""
    exception = selectors.time_off_get_for_teacher(user=request.auth, exception_id=time_off_id)
    services.time_off_delete(actor=request.auth, exception=exception)
    return Status(204, None)


class SlotFilter(Schema):
    teacher_id: int = Field(..., ge=1, le=2**63 - 1, description="The teacher's profile id")
    from_: datetime | None = Field(None, alias="from", description="Default: now")
    to: datetime | None = Field(
        None,
        description=f"Default: 7 days after `from`. The window is bounded: at most "
        f"{selectors.MAX_SLOT_DAYS} days after `from` (wider: 422).",
    )
    length: int | None = Field(
        None,
        ge=1,
        le=1440,
        description="Minutes: one of the teacher's `lesson_lengths` (another: 422 "
        "`length_not_offered`). Default: the teacher's `default_lesson_length`, as booking.",
    )
    tz: str | None = Field(
        None,
        max_length=64,
        description="Zone of the answer (an IANA zone; unknown: 422); default the caller's, or UTC",
    )

    _sane = field_validator("from_", "to")(sane_instant)


@router.get("/slots", response={200: SlotsOut, **errors(404, 422)})
def list_slots(request, filters: Query[SlotFilter]):
    """Bookable slots of a listed teacher, in the caller's time zone (or `tz`). Anyone may ask. Not
    paginated: the answer is bounded by its window (`from` + at most 31 days)."""
    viewer = api_viewer(request)
    tz_name = filters.tz or (viewer.timezone if viewer else "UTC")
    if not is_valid_zone(tz_name):
        refuse_query_values({"tz": _("Give an IANA time zone such as Europe/Madrid.")})
    teacher = selectors.teacher_get_bookable(teacher_id=filters.teacher_id, viewer=viewer)
    try:
        start = _aware(filters.from_, tz_name) if filters.from_ else timezone.now()
        end = _aware(filters.to, tz_name) if filters.to else start + timedelta(days=7)
        query = selectors.SlotQuery(start=start, end=end, length=filters.length)
        length, slots = selectors.slots_for_teacher(teacher=teacher, query=query, offered_only=True)
    except OverflowError as exc:
        raise InvalidQuery(errors={"to": [_("Give dates between 2000 and 2100.")]}) from exc
    tz = zone(tz_name)
    return {
        "teacher_id": teacher.pk,
        "timezone": tz_name,
        "length": length,
        "slots": [{"start": s.astimezone(tz), "end": e.astimezone(tz)} for s, e in slots],
    }
