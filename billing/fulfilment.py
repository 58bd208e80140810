"""What a paid order delivers, per kind. Each deliverer runs inside `order_fulfil`'s transaction
(under the order's row lock) and calls the owning app's service; a DomainError from it (the slot was
taken, the enrolment was released) rolls back the delivery and makes `order_fulfil` refund the payment.
Teachers' earnings for a course are recorded at payment; lesson-based ones when the lesson is
delivered (`billing/receivers.py`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from classroom.models import Lesson
from classroom.scheduling.services import lesson_hold_confirm
from courses.services import enrollment_activate

from .choices import LedgerCause, OrderKind
from .models import Order, Payment
from .plans.services import subscription_deliver
from .services import earning_record, ledger_add, money

Deliverer = Callable[..., None]
DELIVERERS: dict[str, Deliverer] = {}


def deliverer(kind: str):
    def register(fn: Deliverer) -> Deliverer:
        DELIVERERS[kind] = fn
        return fn

    return register


def deliver(*, order: Order, payment: Payment, now: datetime) -> None:
    DELIVERERS[order.kind](order=order, payment=payment, now=now)


@deliverer(OrderKind.COURSE)
def _course(*, order: Order, payment: Payment, now: datetime) -> None:
    enrollment_activate(actor=None, enrollment=order.enrollment)
    if order.teacher_id and order.total > 0:
        earning_record(
            teacher=order.teacher,
            currency=order.currency,
            gross=order.total,
            description=_("Course: %(title)s") % {"title": order.course.title},
            cause_key=f"order:{order.pk}",
            order=order,
            earned_at=now,
        )


@deliverer(OrderKind.PACKAGE)
def _package(*, order: Order, payment: Payment, now: datetime) -> None:
    """A package's enrolment becomes active (booking counts its lessons) and its lessons enter the
    ledger as credits with the course's teacher, each worth its share of the price."""
    course = order.course
    enrollment_activate(actor=None, enrollment=order.enrollment)
    count = course.lessons_included
    ledger_add(
        student=order.student,
        teacher=order.teacher,
        currency=order.currency,
        delta=count,
        cause=LedgerCause.PACKAGE_BOUGHT,
        cause_key=f"order:{order.pk}",
        unit_value=money(order.total / Decimal(count)),
        order=order,
    )


@deliverer(OrderKind.LESSON)
def _lesson(*, order: Order, payment: Payment, now: datetime) -> None:
    """Paid held lessons are confirmed (classroom's `lesson_hold_confirm`: all or nothing). A hold
    whose slot was taken after it expired → Conflict, and `order_fulfil` refunds the payment."""
    lesson_ids = [line.lesson_id for line in order.lines.all() if line.lesson_id]
    lessons = list(Lesson.objects.filter(pk__in=lesson_ids).select_related("teacher", "student"))
    lesson_hold_confirm(lessons=lessons, now=now)


@deliverer(OrderKind.PLAN)
def _plan(*, order: Order, payment: Payment, now: datetime) -> None:
    """A plan's first month activates the subscription and grants its credits; a manual renewal
    order pays the next period (`billing.plans.services`)."""
    subscription_deliver(order=order, now=now)
