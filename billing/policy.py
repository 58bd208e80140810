"""Money follows the classroom: paying held lessons with credits, a package's ledger as its lessons
are booked and given back, and the settlement of each cancelled or missed lesson by the outcome its
cancellation policy recorded (classroom decides, billing settles).

How a lesson was paid decides how it comes back:
- with a credit (a package lesson, or a held lesson paid with credits): the ledger row
  `lesson:<id>:booked` (−1); a free cancellation writes `lesson:<id>:returned` (+1);
- with money (an order line for the lesson, paid by card or transfer): a free cancellation refunds
  the line (`refund_create`, cause `lesson:<id>:cancel`), or returns one credit worth the line when
  the policy's outcome is "credit"; a teacher's cancellation always gives the money back;
- late cancellations and no-shows keep the charge (no row: the lesson's billing outcome says so);
- a held lesson was never paid: nothing to settle.
Every movement is keyed, so a signal sent twice writes one row."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin
from classroom.choices import BillingOutcome, LessonKind, LessonStatus
from classroom.models import Lesson
from classroom.scheduling.services import lesson_hold_confirm
from cplatform.exceptions import Conflict, ValidationFailed

from .choices import LedgerCause, OrderKind, OrderStatus, PaymentMethod, PaymentStatus, RefundReason
from .models import CreditEntry, Order, OrderLine
from .services import (
    Line,
    credit_balance,
    ledger_add,
    money,
    order_cancel,
    order_create,
    order_fulfil,
    payer_check,
)
from .services import refund_create as _refund_create

logger = logging.getLogger(__name__)

PAID_STATES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)


def booked_key(lesson_id: int) -> str:
    return f"lesson:{lesson_id}:booked"


def returned_key(lesson_id: int) -> str:
    return f"lesson:{lesson_id}:returned"


def credit_unit_value(*, student_id: int, teacher_id: int, currency: str) -> Decimal:
    """What one credit with the teacher was last bought or granted for (its value when used)."""
    entry = (
        CreditEntry.objects.filter(
            student_id=student_id, teacher_id=teacher_id, currency=currency, delta__gt=0
        )
        .exclude(cause=LedgerCause.LESSON_RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    ) or (
        CreditEntry.objects.filter(
            student_id=student_id, teacher_id=teacher_id, currency=currency, delta__gt=0
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.unit_value if entry is not None else Decimal("0")


# --- paying held lessons with credits -------------------------------------------------------------


def lesson_pay_with_credit(*, actor: User, lessons: Iterable[Lesson]) -> Order:
    """Pay held lessons with lesson credits: one credit per lesson with its teacher in its currency.
    A CREDIT-method order (worth nothing in money: the credits were paid for when bought) is written
    and fulfilled at once, which confirms the lessons. Not enough credit → Conflict `no_credit` and
    nothing is written; a lesson that is not awaiting payment → Conflict `lesson_not_held`."""
    lessons = sorted(lessons, key=lambda lesson: lesson.pk)
    if not lessons:
        raise ValidationFailed(_("There is nothing to pay."), code="nothing_to_pay")
    students = {lesson.student_id for lesson in lessons}
    teachers = {(lesson.teacher.user_id, lesson.currency) for lesson in lessons}
    if len(students) != 1 or len(teachers) != 1:
        message = _("Pay with credits for one student's lessons with one teacher at a time.")
        raise ValidationFailed(message, errors={"lessons": [message]}, code="invalid")
    student = lessons[0].student
    payer_check(actor=actor, student=student)
    teacher_user = lessons[0].teacher.user
    currency = lessons[0].currency
    with transaction.atomic():
        # The student's row lock orders concurrent debits of one ledger (two tabs, two parents).
        User.objects.select_for_update().filter(pk=student.pk).first()
        for lesson in lessons:
            if lesson.status != LessonStatus.HELD:
                fresh = Lesson.objects.only("status").get(pk=lesson.pk)
                if fresh.status != LessonStatus.HELD:
                    message = _("This booking is no longer awaiting payment.")
                    raise Conflict(message, code="lesson_not_held")
        balance = credit_balance(
            student_id=student.pk, teacher_id=teacher_user.pk, currency=currency
        )
        if balance < len(lessons):
            message = _("There are no lesson credits left with this teacher.")
            raise Conflict(message, errors={"credits": [message]}, code="no_credit")
        unit = credit_unit_value(
            student_id=student.pk, teacher_id=teacher_user.pk, currency=currency
        )
        order = order_create(
            actor=actor,
            student=student,
            kind=OrderKind.LESSON,
            method=PaymentMethod.CREDIT,
            currency=currency,
            teacher=teacher_user,
            lines=[
                Line(
                    description=_("Lesson on %(date)s (1 lesson credit)")
                    % {"date": lesson.start.date().isoformat()},
                    unit_price=Decimal("0"),
                    lesson=lesson,
                )
                for lesson in lessons
            ],
        )
        for lesson in lessons:
            ledger_add(
                student=student,
                teacher=teacher_user,
                currency=currency,
                delta=-1,
                cause=LedgerCause.LESSON_BOOKED,
                cause_key=booked_key(lesson.pk),
                unit_value=unit,
                actor=actor,
                order=order,
                lesson=lesson,
            )
        # Confirm first, so a hold whose slot was taken refuses the whole payment (nothing written)
        # instead of a refund of nothing; the deliverer's own confirmation is then a no-op.
        lesson_hold_confirm(lessons=lessons)
        order_fulfil(
            order_id=order.pk,
            method=PaymentMethod.CREDIT,
            amount=Decimal("0"),
            currency=currency,
            recorded_by=actor,
        )
        order.refresh_from_db()
    return order


# --- packages: the ledger follows the booked lessons ----------------------------------------------


def _package_order(lesson: Lesson) -> Order | None:
    """The paid package order the lesson is booked under, if billing sold the package."""
    course = lesson.course
    if (
        course is None
        or course.lessons_included is None
        or lesson.kind != LessonKind.PRIVATE
        or lesson.student_id is None
    ):
        return None
    return (
        Order.objects.filter(
            kind=OrderKind.PACKAGE,
            course=course,
            student_id=lesson.student_id,
            status__in=(OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED),
        )
        .order_by("-paid_at", "-pk")
        .first()
    )


def package_lesson_booked(*, lesson: Lesson, actor: User | None = None) -> CreditEntry | None:
    """A lesson of a paid package was booked: one credit of the package leaves the ledger (at the
    package's unit value). A package given outside billing (no paid order) has no ledger rows."""
    order = _package_order(lesson)
    if order is None:
        return None
    bought = CreditEntry.objects.filter(cause_key=f"order:{order.pk}").first()
    unit = bought.unit_value if bought is not None else money(order.total)
    entry, _created = ledger_add(
        student=lesson.student,
        teacher=lesson.teacher.user,
        currency=order.currency,
        delta=-1,
        cause=LedgerCause.LESSON_BOOKED,
        cause_key=booked_key(lesson.pk),
        unit_value=unit,
        actor=actor,
        order=order,
        lesson=lesson,
    )
    return entry


def _credit_back(*, lesson: Lesson, unit_value: Decimal, currency: str, order=None) -> CreditEntry:
    entry, _created = ledger_add(
        student=lesson.student,
        teacher=lesson.teacher.user,
        currency=currency,
        delta=1,
        cause=LedgerCause.LESSON_RETURNED,
        cause_key=returned_key(lesson.pk),
        unit_value=unit_value,
        order=order,
        lesson=lesson,
    )
    return entry


# --- settlement -----------------------------------------------------------------------------------


def lesson_paid_line(lesson: Lesson) -> OrderLine | None:
    """The order line that paid for the lesson with money (card or transfer), if any."""
    return (
        OrderLine.objects.filter(lesson=lesson, order__status__in=PAID_STATES)
        .exclude(order__method=PaymentMethod.CREDIT)
        .select_related("order")
        .first()
    )


def _teacher_side(lesson: Lesson, actor: User | None) -> bool:
    if actor is None:
        return False
    return actor.pk == lesson.teacher.user_id or is_admin(actor)


def lesson_settle(
    *, lesson: Lesson, actor: User | None, late: bool, outcome: str, reason_teacher: bool = False
) -> str:
    """Settle a lesson that will not take place (cancelled, or an excused no-show) by the outcome
    classroom recorded. → what happened: "kept" (the charge stands), "credit", "refund" or "none"
    (nothing was paid). Safe to repeat: each movement is keyed by the lesson."""
    if lesson.kind != LessonKind.PRIVATE or lesson.student_id is None:
        return "none"
    teacher_side = reason_teacher or _teacher_side(lesson, actor)
    if late or (outcome == BillingOutcome.CHARGE and not teacher_side):
        return "kept"
    debit = CreditEntry.objects.filter(cause_key=booked_key(lesson.pk)).first()
    if debit is not None:
        # Paid with a credit (a package's, a subscription's or a bought one): the credit comes back.
        _credit_back(
            lesson=lesson, unit_value=debit.unit_value, currency=debit.currency, order=debit.order
        )
        return "credit"
    line = lesson_paid_line(lesson)
    if line is None:
        return "none"
    order = line.order
    if outcome == BillingOutcome.CREDIT and not teacher_side:
        _credit_back(lesson=lesson, unit_value=line.amount, currency=order.currency, order=order)
        return "credit"
    payment = order.payments.exclude(status=PaymentStatus.FAILED).first()
    amount = min(line.amount, order.refundable)
    if payment is None or amount <= 0:
        return "none"
    _refund_create(
        payment=payment,
        amount=amount,
        reason=RefundReason.TEACHER_CANCELLED if teacher_side else RefundReason.CANCELLED_IN_TIME,
        cause=f"lesson:{lesson.pk}:cancel",
        lesson=lesson,
    )
    return "refund"


def lesson_cancel_settle(*, lesson: Lesson, actor, late: bool, billing_outcome, was_held=False):
    """classroom's `lesson_cancelled`: settle the cancelled lesson (a held one: nothing was paid;
    its open order is closed once none of its lessons can still be paid for)."""
    if was_held:
        _close_dead_orders(lesson)
        return "none"
    return lesson_settle(lesson=lesson, actor=actor, late=late, outcome=billing_outcome)


def _close_dead_orders(lesson: Lesson) -> None:
    line = (
        OrderLine.objects.filter(lesson=lesson, order__status=OrderStatus.OPEN)
        .select_related("order")
        .first()
    )
    if line is None:
        return
    alive = Lesson.objects.filter(
        pk__in=line.order.lines.exclude(lesson=None).values("lesson_id"),
        status__in=(LessonStatus.HELD, LessonStatus.EXPIRED, LessonStatus.SCHEDULED),
    )
    if not alive.exists():
        order_cancel(actor=None, order=line.order)
