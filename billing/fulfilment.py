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

from courses.services import enrollment_activate

from .choices import LedgerCause, OrderKind
from .models import Order, Payment
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
