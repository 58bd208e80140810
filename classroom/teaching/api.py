"""Running lessons: group sessions and their seats, attendance, lesson notes, homework, the video-call
link and materials shared in a lesson. (`PATCH /lessons/{id}` lives with the other operations on that
path in classroom/scheduling/api.py: one path, one router.) Operations parse, call one selector or
service, answer."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.choices import Role
from courses.selectors import course_get_for_editor
from cplatform.api_base import LimitOffset, errors

from ..api import _in_callers_language
from ..scheduling.api import _aware
from ..scheduling.schemas import LessonOut
from ..scheduling.selectors import lesson_get_for_user, student_get_for_booking
from . import selectors, services
from .schemas import AttendanceMarkIn, MaterialAttachIn, SeatIn, SessionFilter, SessionIn

router = Router(tags=["teaching"])
router.add_decorator(_in_callers_language, mode="view")

SEAT_TAKERS = (Role.STUDENT, Role.PARENT)


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
