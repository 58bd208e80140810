"""Progress per enrolment (sessions attended / planned, modules completed, teachers' notes) and the
lesson history of students, for them, their parents and their teachers. Enrolment history is
`GET /enrollments?student_id=` (courses). Operations parse, call one selector or service, answer."""

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.choices import Role
from courses.choices import EnrollmentStatus
from courses.selectors import can_manage_course
from cplatform.api_base import (
    LimitOffset,
    errors,
    sort_enum,
    sort_field,
    sorted_by,
)
from cplatform.api_http import location

from ..choices import LessonWhen
from ..teaching.schemas import LessonSort
from . import selectors, services
from .schemas import (
    HistoryLessonOut,
    MyStudentOut,
    ProgressDetailOut,
    ProgressNoteIn,
    ProgressNoteOut,
    ProgressOut,
)

router = Router(tags=["progress"])

ID = {"ge": 1, "le": 2**31 - 1}

ProgressSort = sort_enum(
    "ProgressSort",
    {
        "student": ("student__first_name", "student_id", "course__title"),
        "course": ("course__title",),
        "created": ("created_at",),
    },
)
MyStudentSort = sort_enum(
    "MyStudentSort",
    {"name": ("first_name", "last_name"), "next_lesson": ("next_lesson_start", "first_name")},
)


class ProgressFilter(Schema):
    student_id: int | None = Field(
        None,
        **ID,
        description="One student (user id): yourself, a linked child, one of your students; "
        "anyone else answers 404",
    )
    course_id: int | None = Field(None, **ID, description="A teacher's course")
    include_ended: bool = Field(
        False, description="Also pending, waitlisted, withdrawn and removed enrolments"
    )
    sort: ProgressSort = sort_field(ProgressSort, "student")


@router.get(
    "/progress", response={200: list[ProgressOut], **errors(401, 404, 422)}, auth=auth_for()
)
@paginate(LimitOffset)
def list_progress(request, filters: Query[ProgressFilter]):
    """Active enrolments with their progress: the caller's own, a parent's children's (`student_id`
    for one child), those in a teacher's courses (`course_id` for one course); admins see all."""
    if filters.student_id is not None:
        selectors.student_get_for_viewer(user=request.auth, student_id=filters.student_id)
    qs = selectors.progress_list_for_user(
        user=request.auth,
        student_id=filters.student_id,
        course_id=filters.course_id,
        include_ended=filters.include_ended,
    )
    return sorted_by(qs, filters.sort)


def _detail(user, enrollment_id: int):
    enrollment = selectors.progress_get_for_user(user=user, enrollment_id=enrollment_id)
    enrollment.modules = selectors.module_progress_of(enrollment=enrollment)
    enrollment.can_mark_modules = (
        enrollment.status == EnrollmentStatus.ACTIVE
        and selectors.can_mark_modules(user=user, enrollment=enrollment)
    )
    enrollment.can_add_notes = can_manage_course(user=user, course=enrollment.course)
    return enrollment


@router.get(
    "/enrollments/{enrollment_id}/progress",
    response={200: ProgressDetailOut, **errors(401, 404)},
    auth=auth_for(),
    tags=["progress", "enrollments"],
)
def retrieve_progress(request, enrollment_id: int):
    """One enrolment's progress with its released modules (done or not) and the teachers' notes."""
    return _detail(request.auth, enrollment_id)


def _module(request, enrollment_id: int, module_id: int):
    enrollment = selectors.progress_get_for_user(user=request.auth, enrollment_id=enrollment_id)
    module = selectors.module_get_for_enrollment(enrollment=enrollment, module_id=module_id)
    return enrollment, module


@router.post(
    "/enrollments/{enrollment_id}/modules/{module_id}/complete",
    response={200: ProgressDetailOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
    tags=["progress", "enrollments"],
)
def complete_module(request, enrollment_id: int, module_id: int):
    """Mark a released module done: the student, a linked parent or a teacher of the course, on an
    active enrolment. Marking it twice changes nothing."""
    enrollment, module = _module(request, enrollment_id, module_id)
    services.module_complete(actor=request.auth, enrollment=enrollment, module=module)
    return _detail(request.auth, enrollment_id)


@router.delete(
    "/enrollments/{enrollment_id}/modules/{module_id}/complete",
    response={200: ProgressDetailOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
    tags=["progress", "enrollments"],
)
def uncomplete_module(request, enrollment_id: int, module_id: int):
    """Take back a module's mark (the same people as marking it)."""
    enrollment, module = _module(request, enrollment_id, module_id)
    services.module_uncomplete(actor=request.auth, enrollment=enrollment, module=module)
    return _detail(request.auth, enrollment_id)


@router.post(
    "/enrollments/{enrollment_id}/notes",
    response={201: ProgressNoteOut, **errors(400, 401, 403, 404)},
    auth=auth_for(),
    tags=["progress", "enrollments"],
)
@location("api:retrieve_progress_note", note_id="id")
def add_progress_note(request, enrollment_id: int, payload: ProgressNoteIn):
    """A teacher of the course (or an admin) writes a progress note; the student and parents see it."""
    enrollment = selectors.progress_get_for_user(user=request.auth, enrollment_id=enrollment_id)
    note = services.progress_note_add(actor=request.auth, enrollment=enrollment, body=payload.body)
    return Status(201, selectors.note_get_for_user(user=request.auth, note_id=note.pk))


@router.get(
    "/progress-notes/{note_id}",
    response={200: ProgressNoteOut, **errors(401, 404)},
    auth=auth_for(),
)
def retrieve_progress_note(request, note_id: int):
    """One progress note, for whoever sees it in its enrolment's progress
    (`GET /enrollments/{enrollment_id}/progress`): the student, their parents, the course's teachers,
    admins. Others: 404."""
    return selectors.note_get_for_user(user=request.auth, note_id=note_id)


@router.delete(
    "/progress-notes/{note_id}",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(),
)
def delete_progress_note(request, note_id: int):
    """Its author or an admin deletes a note."""
    note = selectors.note_get_for_user(user=request.auth, note_id=note_id)
    services.progress_note_delete(actor=request.auth, note=note)
    return Status(204, None)


class HistoryFilter(Schema):
    student_id: int | None = Field(
        None,
        **ID,
        description="Whose lessons (a user id): yourself, a linked child, one of your students "
        "(anyone else: 404). Default: the caller's own and their linked children's",
    )
    when: LessonWhen = Field(
        LessonWhen.PAST,
        description="past: ended, newest first; upcoming: not yet ended, soonest first",
    )
    sort: LessonSort | None = Field(
        None,
        description="Order of the list. Default: `-start` (newest first), or `start` with "
        "`when=upcoming`.",
    )


class MyStudentFilter(Schema):
    sort: MyStudentSort = sort_field(MyStudentSort, "name")


@router.get(
    "/history/lessons",
    response={200: list[HistoryLessonOut], **errors(401, 404, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_lesson_history(request, filters: Query[HistoryFilter]):
    """A student's lessons with attendance, notes and homework: a student's own, a parent's children's
    (all of them by default, `student_id` for one; a lesson two of them take appears once, with the
    attendance of the child with the lower id), a teacher's student's (the lessons with that
    teacher). A student the caller may not see: 404."""
    students = selectors.history_students_for_user(user=request.auth, student_id=filters.student_id)
    qs = selectors.lesson_history_for_student(
        user=request.auth, students=students, when=filters.when
    )
    return sorted_by(qs, filters.sort) if filters.sort is not None else qs


@router.get(
    "/my-students",
    response={200: list[MyStudentOut], **errors(401, 403, 422)},
    auth=auth_for(Role.TEACHER),
)
@paginate(LimitOffset)
def list_my_students(request, filters: Query[MyStudentFilter]):
    """The caller's students: anyone with a lesson with them or an enrolment in one of their courses."""
    return sorted_by(selectors.student_list_for_teacher(teacher=request.auth), filters.sort)
