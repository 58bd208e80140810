"""Lessons: the lessons and series themselves (list, book, read, write notes, cancel, reschedule: the
booking rules are scheduling's services, the representation with seats, attendance and materials is
teaching's, so the operations on /lessons and /series live here, tagged "scheduling" as before), and
running them: group sessions and their seats, attendance, lesson notes, homework, the video-call link
and materials shared in a lesson. One path, one router. Operations parse, call one selector or
service, answer."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from authentication.api_auth import auth_for
from authentication.choices import Role
from courses.selectors import course_get_for_editor
from cplatform.api_base import (
    LimitOffset,
    errors,
    refuse_query_values,
    render_times_in,
    sorted_by,
)
from cplatform.api_http import location

from ..choices import LessonStatus, LessonWhen
from ..scheduling import selectors as scheduling_selectors
from ..scheduling import services as scheduling_services
from ..scheduling.api import _aware
from ..scheduling.schemas import (
    BookingIn,
    CancelIn,
    LessonBookingIn,
    RescheduleIn,
    SeriesIn,
    sane_instant,
)
from ..scheduling.selectors import lesson_get_for_user, student_get_for_booking
from ..scheduling.wallclock import is_valid_zone, zone
from . import selectors, services
from .schemas import (
    LESSON_ORDER,
    AttendanceMarkIn,
    LessonOut,
    LessonPatch,
    LessonSort,
    MaterialAttachIn,
    SeatIn,
    SeriesOut,
    SessionFilter,
    SessionIn,
)

router = Router(tags=["teaching"])

SEAT_TAKERS = (Role.STUDENT, Role.PARENT)
BOOKERS = (Role.STUDENT, Role.PARENT)


def _lesson_out(request, lesson_id: int):
    return selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)


@router.post(
    "/courses/{course_id}/sessions",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
)
@location("api:retrieve_lesson", lesson_id="id")
def create_group_session(request, course_id: int, payload: SessionIn):
    """A teacher of a group course (or an admin) schedules a session. It must not overlap the teacher's
    other lessons (409). Actively enrolled students get seats in enrolment order, up to `capacity`."""
    course = course_get_for_editor(user=request.auth, course_id=course_id)
    lesson = services.group_session_create(
        actor=request.auth,
        course=course,
        start=_aware(payload.start, request.auth.timezone),
        length=payload.length,
        title=payload.title,
        capacity=payload.capacity,
        video_call_url=payload.video_call_url,
    )
    return Status(201, _lesson_out(request, lesson.pk))


@router.get(
    "/courses/{course_id}/sessions",
    response={200: list[LessonOut], **errors(401, 404)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_group_sessions(request, course_id: int, filters: Query[SessionFilter]):
    """A group course's sessions, for its teachers and admins and its actively enrolled students and
    their parents (others: 404)."""
    course = selectors.course_get_for_sessions(user=request.auth, course_id=course_id)
    qs = selectors.session_list_for_course(user=request.auth, course=course, when=filters.when)
    return sorted_by(qs, filters.sort) if filters.sort is not None else qs


@router.post(
    "/lessons/{lesson_id}/seat",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*SEAT_TAKERS),
)
@location("api:retrieve_lesson", lesson_id="id")
def take_seat(request, lesson_id: int, payload: SeatIn):
    """An actively enrolled student (or their parent, naming `student_id`) takes a seat in an upcoming
    group session. Full, already seated or another lesson at that time: 409."""
    student = student_get_for_booking(user=request.auth, student_id=payload.student_id)
    lesson = selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)
    services.seat_take(actor=request.auth, lesson=lesson, student=student)
    return Status(201, _lesson_out(request, lesson_id))


@router.delete(
    "/lessons/{lesson_id}/seat",
    response={204: None, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*SEAT_TAKERS),
)
def release_seat(request, lesson_id: int, student_id: int | None = Query(None, ge=1, le=2**63 - 1)):
    """Give up a seat before the session starts; a parent names the child (`?student_id=`). Without
    a seat (given up already, or never taken) nothing changes: 204."""
    student = student_get_for_booking(user=request.auth, student_id=student_id)
    lesson = selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)
    services.seat_release(actor=request.auth, lesson=lesson, student=student)
    return Status(204, None)


@router.put(
    "/lessons/{lesson_id}/attendance",
    response={200: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
)
def record_attendance(request, lesson_id: int, payload: list[AttendanceMarkIn]):
    """The lesson's teacher (or an admin) records attendance for the 1:1 student or the seat holders,
    once the lesson has started (409 before, or on a cancelled lesson). A 1:1 lesson whose student is
    absent becomes `no_show`; otherwise the lesson becomes `completed`. Marks may be corrected."""
    lesson = lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.attendance_record(
        actor=request.auth, lesson=lesson, marks=[m.model_dump() for m in payload]
    )
    return _lesson_out(request, lesson_id)


@router.post(
    "/lessons/{lesson_id}/materials",
    response={200: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
)
def attach_material(request, lesson_id: int, payload: MaterialAttachIn):
    """Share a material of the lesson's course in the lesson (upload new ones with
    `POST /courses/{id}/materials`). The lesson's teacher or an admin."""
    lesson = lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.lesson_material_attach(
        actor=request.auth, lesson=lesson, material_id=payload.material_id
    )
    return _lesson_out(request, lesson_id)


@router.delete(
    "/lessons/{lesson_id}/materials/{material_id}",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(),
)
def detach_material(request, lesson_id: int, material_id: int):
    """Stop sharing a material in the lesson (the material itself stays in the course)."""
    lesson = lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.lesson_material_detach(actor=request.auth, lesson=lesson, material_id=material_id)
    return Status(204, None)


@router.post(
    "/lessons/{lesson_id}/homework/done",
    response={200: LessonOut, **errors(401, 403, 404, 409)},
    auth=auth_for(Role.STUDENT),
)
def mark_homework_done(request, lesson_id: int):
    """The lesson's student (1:1, or a seat holder of a group session) marks its homework done;
    marking it again changes nothing. A lesson without homework: 409 `no_homework`. Its teacher,
    parents and admins see the mark (`homework_done_by`) but may not set it (403)."""
    lesson = lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.homework_done_mark(actor=request.auth, lesson=lesson)
    return _lesson_out(request, lesson_id)


@router.delete(
    "/lessons/{lesson_id}/homework/done",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(Role.STUDENT),
)
def undo_homework_done(request, lesson_id: int):
    """The lesson's student takes back their "done" mark; without one nothing changes: 204."""
    lesson = lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.homework_done_undo(actor=request.auth, lesson=lesson)
    return Status(204, None)


# These operations moved here from classroom/scheduling/api.py (tagged "scheduling" as before).
class LessonFilter(Schema):
    when: LessonWhen | None = Field(
        None, description="upcoming: not yet ended, soonest first; past: ended, latest first"
    )
    from_: datetime | None = Field(
        None,
        alias="from",
        description="Lessons that end after this instant (a calendar's window: with `to`, every "
        "lesson overlapping it). Without an offset, read in `tz` (default: the caller's zone).",
        examples=["2027-03-01T00:00:00+01:00"],
    )
    to: datetime | None = Field(
        None,
        description="Lessons that start before this instant. Without an offset, read in `tz`.",
        examples=["2027-04-01T00:00:00+02:00"],
    )
    student_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="One student's lessons (user id), 1:1 or a seat in a group session alike: "
        "yourself, a linked child, one of your students; anyone else answers 404.",
    )
    course_id: int | None = Field(None, ge=1, le=2**31 - 1, description="One course's lessons")
    status: LessonStatus | None = Field(None, description="Only lessons in this status")
    tz: str | None = Field(
        None,
        max_length=64,
        description="An IANA zone (e.g. Europe/Madrid; unknown: 422): the answer's times are "
        "written in it (default: UTC) and `from` / `to` without an offset are read in it.",
        examples=["Europe/Madrid"],
    )
    sort: LessonSort | None = Field(None, description=f"Order of the list. {LESSON_ORDER}")

    _sane = field_validator("from_", "to")(sane_instant)


@router.get(
    "/lessons",
    response={200: list[LessonOut], **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["scheduling"],
)
@paginate(LimitOffset)
def list_lessons(request, filters: Query[LessonFilter]):
    """Lessons the caller teaches, takes (1:1 or a seat in a group session), or (a parent) all their
    linked children take, group sessions as 1:1 lessons (`student_id` narrows to one child); admins:
    all. Seats, attendance and materials as the caller may see them. The calendar's query:
    `?from=&to=&tz=`."""
    tz_name = filters.tz or request.auth.timezone
    if filters.tz is not None and not is_valid_zone(filters.tz):
        refuse_query_values({"tz": _("Give an IANA time zone such as Europe/Madrid.")})
    if filters.tz is not None:
        render_times_in(request, zone(filters.tz))
    start = _aware(filters.from_, tz_name) if filters.from_ else None
    end = _aware(filters.to, tz_name) if filters.to else None
    if start and end and end <= start:
        refuse_query_values({"to": _("Give an instant after `from`.")})
    qs = selectors.lesson_list_for_viewer(
        user=request.auth,
        filters=selectors.LessonFilters(
            when=filters.when,
            ends_after=start,
            starts_before=end,
            student_id=filters.student_id,
            course_id=filters.course_id,
            status=filters.status,
        ),
    )
    return sorted_by(qs, filters.sort) if filters.sort is not None else qs


def _lesson_out(request, lesson_id: int):
    return selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)


def _booking_parts(request, payload: BookingIn):
    student = scheduling_selectors.student_get_for_booking(
        user=request.auth, student_id=payload.student_id
    )
    teacher = scheduling_selectors.teacher_get_bookable(
        teacher_id=payload.teacher_id, viewer=request.auth
    )
    return teacher, student, _aware(payload.start, request.auth.timezone)


def _length(teacher, payload: BookingIn) -> int:
    """The booking's length: the one asked for, else the teacher's default (as `/slots`)."""
    if payload.length is not None:
        return payload.length
    return scheduling_selectors.default_lesson_length(teacher=teacher)


@router.post(
    "/lessons",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*BOOKERS),
    tags=["scheduling"],
)
@location("api:retrieve_lesson", lesson_id="id")
def book_lesson(request, payload: LessonBookingIn):
    """Book a free slot: a student for themself, a parent for a linked child (`student_id`),
    optionally within a 1:1 course (`course_id`), online or in person (`mode`). A slot taken
    meanwhile answers 409 `slot_taken`; a price other than `expected_price` 409 `price_changed`.
    The lesson keeps its price, currency and mode: billing charges what was shown. Where payment is
    due (a price above 0, not covered by a course) the lesson is booked held: `status` "held",
    `payment_due` true and `hold_expires_at` the time by which it must be paid (else it expires
    and its slot is freed); paying confirms it (`status` "scheduled")."""
    teacher, student, start = _booking_parts(request, payload)
    length = _length(teacher, payload)
    lesson = scheduling_services.lesson_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        start=start,
        length=length,
        course_id=payload.course_id,
        mode=payload.mode,
        expected=payload.expected(),
        hold=scheduling_selectors.booking_payment_due(
            teacher=teacher, length=length, mode=payload.mode, course_id=payload.course_id
        ),
    )
    return Status(201, _lesson_out(request, lesson.pk))


@router.get(
    "/lessons/{lesson_id}",
    response={200: LessonOut, **errors(401, 404)},
    auth=auth_for(),
    tags=["scheduling"],
)
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
    lesson = scheduling_selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    services.lesson_update(actor=request.auth, lesson=lesson, data=payload.changes())
    return _lesson_out(request, lesson_id)


@router.post(
    "/lessons/{lesson_id}/cancel",
    response={200: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
    tags=["scheduling"],
)
def cancel_lesson(request, lesson_id: int, payload: CancelIn):
    """Cancel under the lesson's cancellation policy (its course's, else the teacher's); the outcome
    (refund / credit / charge) is in the answer."""
    lesson = scheduling_selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    scheduling_services.lesson_cancel(lesson=lesson, actor=request.auth, reason=payload.reason)
    return _lesson_out(request, lesson_id)


@router.post(
    "/lessons/{lesson_id}/reschedule",
    response={200: LessonOut, **errors(400, 401, 404, 409)},
    auth=auth_for(),
    tags=["scheduling"],
)
def reschedule_lesson(request, lesson_id: int, payload: RescheduleIn):
    """Move a scheduled lesson to a free time of the same teacher and length, under the
    cancellation cut-off for the student's side (409 past it, or when the time is not free)."""
    lesson = scheduling_selectors.lesson_get_for_user(user=request.auth, lesson_id=lesson_id)
    scheduling_services.lesson_reschedule(
        lesson=lesson, actor=request.auth, start=_aware(payload.start, request.auth.timezone)
    )
    return _lesson_out(request, lesson_id)


@router.post(
    "/series",
    response={201: SeriesOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*BOOKERS),
    tags=["scheduling"],
)
@location("api:retrieve_series", series_id="id")
def book_series(request, payload: SeriesIn):
    """Book weekly lessons at the first lesson's wall-clock time in the teacher's zone, `count` times or
    until a date. All or nothing: 409 lists every date that is not free. Where payment is due (as
    for one lesson) every lesson is booked held with one `hold_expires_at`."""
    teacher, student, start = _booking_parts(request, payload)
    length = _length(teacher, payload)
    series = scheduling_services.series_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        first_start=start,
        length=length,
        hold=scheduling_selectors.booking_payment_due(
            teacher=teacher, length=length, mode=payload.mode, course_id=None
        ),
        count=payload.count,
        until=payload.until,
        mode=payload.mode,
        expected=payload.expected(),
    )
    return Status(
        201, scheduling_selectors.series_get_for_user(user=request.auth, series_id=series.pk)
    )


@router.get(
    "/series/{series_id}",
    response={200: SeriesOut, **errors(401, 404)},
    auth=auth_for(),
    tags=["scheduling"],
)
def retrieve_series(request, series_id: int):
    """A weekly series the caller booked, takes (or their child), or teaches, with its lessons."""
    return scheduling_selectors.series_get_for_user(user=request.auth, series_id=series_id)


@router.post(
    "/series/{series_id}/cancel",
    response={200: SeriesOut, **errors(400, 401, 404)},
    auth=auth_for(),
    tags=["scheduling"],
)
def cancel_series(request, series_id: int, payload: CancelIn):
    """Cancel every lesson of the series that has not started yet, each under its cancellation policy
    (its course's, else the teacher's)."""
    series = scheduling_selectors.series_get_for_user(user=request.auth, series_id=series_id)
    scheduling_services.series_cancel(series=series, actor=request.auth, reason=payload.reason)
    return scheduling_selectors.series_get_for_user(user=request.auth, series_id=series_id)
