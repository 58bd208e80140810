"""Billing listens to the classroom (in-transaction signals: its rows commit with the event) and
settles: a package lesson booked leaves the ledger, a cancelled or missed lesson is settled by the
outcome its policy recorded (`billing.policy`), a delivered or charged lesson earns its teacher
(`billing.earnings`). Every write is keyed, so a signal sent twice writes one row."""

from django.dispatch import receiver

from classroom import signals as classroom_signals
from classroom.choices import BillingOutcome, LessonStatus

from .earnings.services import lesson_earn
from .policy import lesson_cancel_settle, lesson_settle, package_lesson_booked


@receiver(classroom_signals.lesson_booked, dispatch_uid="billing.package_lesson_booked")
def on_lesson_booked(sender, lesson, actor=None, **kwargs):
    package_lesson_booked(lesson=lesson, actor=actor)


@receiver(classroom_signals.lesson_cancelled, dispatch_uid="billing.lesson_cancelled")
def on_lesson_cancelled(sender, lesson, actor=None, late=False, billing_outcome=None, **kwargs):
    outcome = lesson_cancel_settle(
        lesson=lesson,
        actor=actor,
        late=late,
        billing_outcome=billing_outcome,
        was_held=kwargs.get("was_held", False),
    )
    if outcome == "kept":
        lesson_earn(lesson=lesson)  # a late cancellation is charged: the teacher earns it


@receiver(classroom_signals.attendance_recorded, dispatch_uid="billing.attendance_recorded")
def on_attendance_recorded(sender, lesson, actor=None, **kwargs):
    if lesson.status == LessonStatus.COMPLETED or (
        lesson.status == LessonStatus.NO_SHOW and lesson.billing_outcome == BillingOutcome.CHARGE
    ):
        lesson_earn(lesson=lesson)
    elif lesson.status == LessonStatus.NO_SHOW:
        # An excused absence: settled like a free cancellation by the student's side.
        lesson_settle(lesson=lesson, actor=None, late=False, outcome=lesson.billing_outcome)
