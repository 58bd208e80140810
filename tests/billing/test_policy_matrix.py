"""Money follows the cancellation policy: a timely, a late and a teacher cancellation each end with the
right refund, credit or kept charge, for single lessons (paid by transfer or card, the policy's free
outcome a refund or a credit), package lessons and lessons paid with a subscription's credits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from billing.choices import (
    InvoiceKind,
    LedgerCause,
    PaymentMethod,
    RefundReason,
    RefundStatus,
)
from billing.models import CreditEntry, EarningEntry, Invoice, Refund
from billing.services import credit_balance
from classroom.scheduling.services import lesson_cancel
from tests.billing.factories_policy import (
    credit_lesson,
    package_lesson,
    paid_lesson,
    paid_package,
    paid_subscription,
)
from tests.booking.factories import bookable_teacher, student

pytestmark = pytest.mark.django_db


def _setup(kind: str, outcome: str):
    teacher = bookable_teacher(lesson_lengths=[60], free_cancellation_outcome=outcome)
    learner = student()
    if kind == "single_manual":
        lesson, _order = paid_lesson(teacher, learner)
    elif kind == "single_stripe":
        lesson, _order = paid_lesson(teacher, learner, method=PaymentMethod.STRIPE)
    elif kind == "package":
        course, _order = paid_package(teacher, learner, lessons=5)
        lesson = package_lesson(teacher, learner, course)
    else:
        paid_subscription(teacher, learner)
        lesson, _order = credit_lesson(teacher, learner)
    return teacher, learner, lesson


def _balance(teacher, learner, lesson):
    return credit_balance(
        student_id=learner.pk, teacher_id=teacher.user_id, currency=lesson.currency
    )


# (kind, free outcome, who cancels) → (refund reason or None, credit returned, charge kept)
CASES = [
    ("single_manual", "refund", "timely", RefundReason.CANCELLED_IN_TIME, False),
    ("single_manual", "refund", "late", None, False),
    ("single_manual", "refund", "teacher", RefundReason.TEACHER_CANCELLED, False),
    ("single_manual", "credit", "timely", None, True),
    ("single_manual", "credit", "late", None, False),
    ("single_manual", "credit", "teacher", RefundReason.TEACHER_CANCELLED, False),
    ("single_stripe", "refund", "timely", RefundReason.CANCELLED_IN_TIME, False),
    ("single_stripe", "refund", "late", None, False),
    ("single_stripe", "refund", "teacher", RefundReason.TEACHER_CANCELLED, False),
    ("package", "refund", "timely", None, True),
    ("package", "refund", "late", None, False),
    ("package", "credit", "teacher", None, True),
    ("subscription", "refund", "timely", None, True),
    ("subscription", "credit", "late", None, False),
    ("subscription", "refund", "teacher", None, True),
]


@pytest.mark.parametrize(("kind", "outcome", "who", "refund_reason", "credit_back"), CASES)
def test_each_cancellation_ends_with_the_refund_credit_or_charge_its_policy_says(
    kind, outcome, who, refund_reason, credit_back
):
    teacher, learner, lesson = _setup(kind, outcome)
    before = _balance(teacher, learner, lesson)
    if who == "teacher":
        lesson_cancel(lesson=lesson, actor=teacher.user)
    elif who == "late":
        lesson_cancel(lesson=lesson, actor=learner, now=lesson.start - timedelta(hours=2))
    else:
        lesson_cancel(lesson=lesson, actor=learner)

    refunds = list(Refund.objects.filter(lesson=lesson))
    if refund_reason is None:
        assert refunds == []
    else:
        (refund,) = refunds
        assert refund.reason == refund_reason
        assert refund.amount == lesson.price
        assert refund.cause == f"lesson:{lesson.pk}:cancel"
        expected = RefundStatus.PENDING if kind == "single_stripe" else RefundStatus.SUCCEEDED
        assert refund.status == expected  # Stripe's refund is sent after commit by billing.stripe
        # Where money moved there is a credit note for it.
        note = Invoice.objects.get(refund=refund)
        assert note.kind == InvoiceKind.CREDIT_NOTE and note.total == -lesson.price

    returned = CreditEntry.objects.filter(cause_key=f"lesson:{lesson.pk}:returned")
    assert returned.exists() is credit_back
    if credit_back:
        assert returned.get().cause == LedgerCause.LESSON_RETURNED
        assert _balance(teacher, learner, lesson) == before + 1
    else:
        assert _balance(teacher, learner, lesson) == before

    # A late cancellation keeps the charge: the teacher earns the lesson; otherwise nothing is earned.
    earned = EarningEntry.objects.filter(cause_key=f"lesson:{lesson.pk}:earned")
    assert earned.exists() is (who == "late")


def test_a_money_paid_lesson_cancelled_in_time_under_a_credit_policy_returns_a_credit_worth_its_price():
    teacher, learner, lesson = _setup("single_manual", "credit")
    lesson_cancel(lesson=lesson, actor=learner)
    entry = CreditEntry.objects.get(cause_key=f"lesson:{lesson.pk}:returned")
    assert entry.delta == 1 and entry.unit_value == lesson.price and entry.teacher == teacher.user
    assert lesson.price > Decimal("0")


def test_a_held_lesson_cancelled_before_payment_settles_nothing_and_closes_its_order():
    from billing.choices import OrderKind, OrderStatus
    from billing.models import Order
    from billing.services import Line, order_create
    from tests.billing.factories_policy import held_lesson

    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    lesson = held_lesson(teacher, learner)
    order = order_create(
        actor=learner,
        student=learner,
        kind=OrderKind.LESSON,
        method=PaymentMethod.MANUAL,
        currency=lesson.currency,
        lines=[Line(description="x", unit_price=lesson.price, lesson=lesson)],
    )
    lesson_cancel(lesson=lesson, actor=learner)
    assert not Refund.objects.exists()
    assert not CreditEntry.objects.filter(lesson=lesson).exists()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
