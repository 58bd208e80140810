"""What a payer may open a pay page for: their own or a linked child's pending enrolment or held
lesson (anyone else, teachers and admins included, meets a missing one: they do not pay it), and
the orders a payer (or an admin) may cancel."""

from __future__ import annotations

from authentication.models import User
from authentication.roles import is_admin
from authentication.selectors import is_guardian_of
from classroom.choices import LessonStatus
from classroom.models import Lesson
from courses.choices import EnrollmentStatus
from courses.models import Enrollment
from cplatform.exceptions import NotFound

from ..history.selectors import order_get_for_user
from ..models import Order


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


def order_get_for_canceller(*, user: User, order_id: int) -> Order:
    """An order `user` may cancel: one they placed as its payer, or any for an admin. Anyone else
    (the student a parent pays for, their other guardians included) meets a missing one."""
    order = order_get_for_user(user=user, order_id=order_id)
    if order.payer_id != user.pk and not is_admin(user):
        raise NotFound()
    return order


def order_holds(*, order: Order) -> tuple[list[Lesson], Enrollment | None]:
    """What an open order keeps for its payer and cancelling it lets go: its held lessons (soonest
    first) and its pending enrolment."""
    lesson_ids = [line.lesson_id for line in order.lines.all() if line.lesson_id]
    lessons = list(
        Lesson.objects.filter(pk__in=lesson_ids, status=LessonStatus.HELD)
        .select_related("teacher__user")
        .order_by("start", "pk")
    )
    enrollment = None
    if order.enrollment_id:
        enrollment = (
            Enrollment.objects.select_related("course")
            .filter(pk=order.enrollment_id, status=EnrollmentStatus.PENDING)
            .first()
        )
    return lessons, enrollment
