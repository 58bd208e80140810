"""Lessons: the lessons and series themselves (list, book, read, write notes, cancel, reschedule: the
booking rules are scheduling's services, the representation with seats, attendance and materials is
teaching's, so the operations on /lessons and /series live here, tagged "scheduling" as before), and
running them: group sessions and their seats, attendance, lesson notes, homework, the video-call link
and materials shared in a lesson. One path, one router. Operations parse, call one selector or
service, answer."""

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.choices import Role
from courses.selectors import course_get_for_editor
from cplatform.api_base import LimitOffset, errors, in_callers_language

from ..choices import LessonWhen
from ..scheduling import selectors as scheduling_selectors
from ..scheduling import services as scheduling_services
from ..scheduling.api import _aware
from ..scheduling.schemas import BookingIn, CancelIn, LessonBookingIn, RescheduleIn, SeriesIn
from ..scheduling.selectors import lesson_get_for_user, student_get_for_booking
from . import selectors, services
from .schemas import (
    AttendanceMarkIn,
    LessonOut,
    LessonPatch,
    MaterialAttachIn,
    SeatIn,
    SeriesOut,
    SessionFilter,
    SessionIn,
)

router = Router(tags=["teaching"])
router.add_decorator(in_callers_language, mode="view")

SEAT_TAKERS = (Role.STUDENT, Role.PARENT)
BOOKERS = (Role.STUDENT, Role.PARENT)


def _lesson_out(request, lesson_id: int):
    return selectors.lesson_get_for_viewer(user=request.auth, lesson_id=lesson_id)


@router.post(
    "/courses/{course_id}/sessions",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
)
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
    return selectors.session_list_for_course(user=request.auth, course=course, when=filters.when)


@router.post(
    "/lessons/{lesson_id}/seat",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*SEAT_TAKERS),
)
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
    """Give up a seat before the session starts; a parent names the child (`?student_id=`)."""
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


# These operations moved here from classroom/scheduling/api.py (tagged "scheduling" as before).
class LessonFilter(Schema):
    when: LessonWhen | None = Field(
        None, description="upcoming: not yet ended, soonest first; past: ended, latest first"
    )


@router.get(
    "/lessons",
    response={200: list[LessonOut], **errors(401)},
    auth=auth_for(),
    tags=["scheduling"],
)
@paginate(LimitOffset)
def list_lessons(request, filters: Query[LessonFilter]):
    """Lessons the caller teaches, takes (1:1 or a seat in a group session), or (a parent) their
    linked children take; admins: all. Seats, attendance and materials as the caller may see them."""
    return selectors.with_lesson_details(
        scheduling_selectors.lesson_list_for_user(user=request.auth, when=filters.when),
        user=request.auth,
    )


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


@router.post(
    "/lessons",
    response={201: LessonOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(*BOOKERS),
    tags=["scheduling"],
)
def book_lesson(request, payload: LessonBookingIn):
    """Book a free slot: a student for themself, a parent for a linked child (`student_id`),
    optionally within a 1:1 course (`course_id`). A slot taken meanwhile answers 409."""
    teacher, student, start = _booking_parts(request, payload)
    lesson = scheduling_services.lesson_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        start=start,
        length=payload.length,
        course_id=payload.course_id,
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
    services.lesson_update(
        actor=request.auth, lesson=lesson, data=payload.model_dump(exclude_unset=True)
    )
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
def book_series(request, payload: SeriesIn):
    """Book weekly lessons at the first lesson's wall-clock time in the teacher's zone, `count` times or
    until a date. All or nothing: 409 lists every date that is not free."""
    teacher, student, start = _booking_parts(request, payload)
    series = scheduling_services.series_book(
        actor=request.auth,
        teacher=teacher,
        student=student,
        first_start=start,
        length=payload.length,
        count=payload.count,
        until=payload.until,
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
