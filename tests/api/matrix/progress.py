"""Matrix rows: progress per enrolment and lesson history."""

from tests.api.matrix.base import ALL_SIGNED_IN, ONLY_TEACHERS, SIGNED_IN, Call, expect

# Student A's active enrolment in the teacher's course: nobody else reaches it (404).
SEES_ENROLLMENT = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, 404),
    "student_a": 200,  # the enrolled student
    "parent_of_a": 200,  # the student's parent
    "teacher": 200,  # teaches the course
    "admin": 200,
    "superuser": 200,
}
MODULE = {"enrollment_id": "enrollment_id", "module_id": "progress_module_id"}

ROWS: dict[str, Call] = {
    "GET /api/v1/progress": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/enrollments/{enrollment_id}/progress": Call(
        SEES_ENROLLMENT, path_params={"enrollment_id": "enrollment_id"}
    ),
    "POST /api/v1/enrollments/{enrollment_id}/modules/{module_id}/complete": Call(
        SEES_ENROLLMENT, path_params=MODULE
    ),
    "DELETE /api/v1/enrollments/{enrollment_id}/modules/{module_id}/complete": Call(
        SEES_ENROLLMENT, path_params=MODULE
    ),
    "POST /api/v1/enrollments/{enrollment_id}/notes": Call(
        expect(
            SEES_ENROLLMENT,
            student_a=403,  # sees the notes, does not write them
            parent_of_a=403,
            teacher=201,
            admin=201,
            superuser=201,
        ),
        path_params={"enrollment_id": "enrollment_id"},
        json={"body": "Fractions are solid now."},
    ),
    "GET /api/v1/progress-notes/{note_id}": Call(
        SEES_ENROLLMENT, path_params={"note_id": "progress_note_id"}
    ),
    "DELETE /api/v1/progress-notes/{note_id}": Call(
        expect(
            SEES_ENROLLMENT,
            student_a=403,
            parent_of_a=403,
            teacher=204,  # the author
            admin=204,
            superuser=204,
        ),
        path_params={"note_id": "progress_note_id"},
    ),
    "GET /api/v1/history/lessons": Call(
        SEES_ENROLLMENT,  # student A's history: the same people (the teacher has lessons with A)
        query_params={"student_id": "student_a_id"},
    ),
    "GET /api/v1/my-students": Call(ONLY_TEACHERS),
}


def build(world) -> None:
    """A released module of the teacher's course and a progress note the teacher wrote on student A's
    enrolment."""
    from courses.models import Enrollment, ModuleCompletion, ProgressNote
    from tests.courses.factories import ModuleFactory

    enrollment = Enrollment.objects.get(pk=world.enrollment_id)
    module = world.make(
        "progress_module_id",
        "module",
        lambda: ModuleFactory(course=enrollment.course, title="Fractions"),
    )
    ModuleCompletion.objects.create(enrollment=enrollment, module=module)
    world.make(
        "progress_note_id",
        "note",
        lambda: ProgressNote.objects.create(
            enrollment=enrollment, author=world.users["teacher"], body="Good start."
        ),
    )
