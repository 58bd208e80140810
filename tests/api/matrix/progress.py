"""Matrix rows: progress per enrolment and lesson history."""

from tests.api.matrix.base import ALL_SIGNED_IN, ONLY_TEACHERS, Call

# Student A's active enrolment in the teacher's course.
SEES_ENROLLMENT = {
    "anonymous": 401,
    "student_a": 200,  # the enrolled student
    "student_b": 404,
    "parent_of_a": 200,  # the student's parent
    "teacher": 200,  # teaches the course
    "other_teacher": 404,
    "admin": 200,
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
        {
            **SEES_ENROLLMENT,
            "student_a": 403,  # sees the notes, does not write them
            "parent_of_a": 403,
            "teacher": 201,
            "admin": 201,
        },
        path_params={"enrollment_id": "enrollment_id"},
        json={"body": "Fractions are solid now."},
    ),
    "DELETE /api/v1/progress-notes/{note_id}": Call(
        {
            **SEES_ENROLLMENT,
            "student_a": 403,
            "parent_of_a": 403,
            "teacher": 204,  # the author
            "admin": 204,
        },
        path_params={"note_id": "progress_note_id"},
    ),
    "GET /api/v1/history/lessons": Call(
        {
            "anonymous": 401,
            "student_a": 200,
            "student_b": 404,  # not theirs to see
            "parent_of_a": 200,
            "teacher": 200,  # student A has lessons with them
            "other_teacher": 404,
            "admin": 200,
        },
        query=lambda w: {"student_id": w.student_a_id},
    ),
    "GET /api/v1/my-students": Call(ONLY_TEACHERS),
}


def build(world) -> None:
    """A released module of the teacher's course and a progress note the teacher wrote on student A's
    enrolment."""
    from courses.models import Enrollment, ModuleCompletion, ProgressNote
    from tests.courses.factories import ModuleFactory

    enrollment = Enrollment.objects.get(pk=world.enrollment_id)
    module = ModuleFactory(course=enrollment.course, title="Fractions")
    world.progress_module_id = module.pk
    ModuleCompletion.objects.create(enrollment=enrollment, module=module)
    world.progress_note_id = ProgressNote.objects.create(
        enrollment=enrollment, author=world.users["teacher"], body="Good start."
    ).pk
