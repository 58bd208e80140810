"""What a payer may open a pay page for: their own or a linked child's pending enrolment or held
lesson (anyone else, teachers and admins included, meets a missing one: they do not pay it)."""

from __future__ import annotations

from authentication.models import User
from authentication.selectors import is_guardian_of
from classroom.models import Lesson
from courses.models import Enrollment
from cplatform.exceptions import NotFound


def _pays_for(user: User, student_id: int | None) -> bool:
    if student_id is None:
        return False
    return user.pk == student_id or is_guardian_of(guardian=user, child_id=student_id)


def enrollment_get_for_payer(*, user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("course", "course__owner", "student")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None or not _pays_for(user, enrollment.student_id):
        raise NotFound()
    return enrollment


def lesson_get_for_payer(*, user: User, lesson_id: int) -> Lesson:
    lesson = (
        Lesson.objects.select_related("student", "teacher__user", "course")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not _pays_for(user, lesson.student_id):
        raise NotFound()
    return lesson
