"""The one credit ledger: package lessons leave it when booked and come back when cancelled for free
(agreeing with classroom's own count), held lessons are paid with credits (all or nothing), and a
signal sent twice writes one row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing.choices import LedgerCause, OrderStatus, PaymentMethod
from billing.models import CreditEntry, EarningEntry, Order, Refund
from billing.policy import lesson_pay_with_credit
from billing.receivers import on_attendance_recorded, on_lesson_booked, on_lesson_cancelled
from billing.services import credit_balance
from classroom.choices import LessonStatus
from classroom.models import Lesson
from classroom.scheduling.selectors import package_lessons_used
from classroom.scheduling.services import lesson_cancel
from cplatform.exceptions import Conflict, NotFound
from tests.authentication.factories import StudentFactory
from tests.billing.factories_policy import (
    credit_lesson,
    held_lesson,
    package_lesson,
    paid_lesson,
    paid_package,
)
from tests.booking.factories import bookable_teacher, student

pytestmark = pytest.mark.django_db


def _balance(teacher, learner, currency="EUR"):
    return credit_balance(student_id=learner.pk, teacher_id=teacher.user_id, currency=currency)


def test_the_package_ledger_agrees_with_classroom_after_bookings_and_cancellations():
    teacher = bookable_teacher(lesson_lengths=[60], cancellation_cutoff_hours=24)
    learner = student()
    course, _order = paid_package(teacher, learner, lessons=5, price="100.00")
    assert _balance(teacher, learner) == 5
    bought = CreditEntry.objects.get(cause=LedgerCause.PACKAGE_BOUGHT)
    assert bought.unit_value == 20

    lessons = [package_lesson(teacher, learner, course, day=d) for d in (3, 4, 5, 6)]
    lesson_cancel(lesson=lessons[0], actor=learner)  # in time: back
    lesson_cancel(lesson=lessons[1], actor=learner, now=lessons[1].start - timedelta(hours=1))
    lesson_cancel(lesson=lessons[2], actor=teacher.user)  # the teacher: back
    package_lesson(teacher, learner, course, day=7)

    used = package_lessons_used(course=course, student=learner)
    assert used == 3
    assert _balance(teacher, learner) == 5 - used
    debits = CreditEntry.objects.filter(cause=LedgerCause.LESSON_BOOKED)
    assert {e.unit_value for e in debits} == {bought.unit_value}


def test_a_package_given_outside_billing_writes_no_ledger_rows():
    from tests.courses.factories import CourseFactory, EnrollmentFactory

    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=2)
    EnrollmentFactory(course=course, student=learner)
    package_lesson(teacher, learner, course)
    assert not CreditEntry.objects.exists()


def test_signals_sent_twice_write_one_row_each():
    teacher = bookable_teacher(lesson_lengths=[60], cancellation_cutoff_hours=24)
    learner = student()
    course, _order = paid_package(teacher, learner, lessons=3)
    lesson = package_lesson(teacher, learner, course)
    on_lesson_booked(sender=Lesson, lesson=lesson, actor=learner)
    assert CreditEntry.objects.filter(cause=LedgerCause.LESSON_BOOKED).count() == 1

    lesson_cancel(lesson=lesson, actor=learner)
    lesson.refresh_from_db()
    for _ in range(2):
        on_lesson_cancelled(
            sender=Lesson, lesson=lesson, actor=learner, late=False, billing_outcome="refund"
        )
    assert CreditEntry.objects.filter(cause=LedgerCause.LESSON_RETURNED).count() == 1
    assert _balance(teacher, learner) == 3

    single, _order = paid_lesson(bookable_teacher(lesson_lengths=[60]), learner, day=9)
    lesson_cancel(lesson=single, actor=learner)
    single.refresh_from_db()
    on_lesson_cancelled(
        sender=Lesson, lesson=single, actor=learner, late=False, billing_outcome="refund"
    )
    assert Refund.objects.filter(lesson=single).count() == 1

    delivered, _order = paid_lesson(bookable_teacher(lesson_lengths=[60]), learner, day=10)
    Lesson.objects.filter(pk=delivered.pk).update(status=LessonStatus.COMPLETED)
    delivered.refresh_from_db()
    for _ in range(3):
        on_attendance_recorded(sender=Lesson, lesson=delivered, actor=None)
    assert EarningEntry.objects.filter(lesson=delivered).count() == 1


def test_held_lessons_are_paid_with_credits_and_confirmed():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    paid_package(teacher, learner, lessons=2, price="50.00")
    lesson, order = credit_lesson(teacher, learner)
    assert lesson.status == LessonStatus.SCHEDULED
    assert order.method == PaymentMethod.CREDIT and order.status == OrderStatus.PAID
    assert order.total == 0
    debit = CreditEntry.objects.get(cause_key=f"lesson:{lesson.pk}:booked")
    assert debit.delta == -1 and debit.unit_value == 25
    assert _balance(teacher, learner) == 1


def test_not_enough_credit_is_refused_and_writes_nothing():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    paid_package(teacher, learner, lessons=1)
    lessons = [held_lesson(teacher, learner, day=d) for d in (3, 4)]
    orders_before = Order.objects.count()
    with pytest.raises(Conflict) as refused:
        lesson_pay_with_credit(actor=learner, lessons=lessons)
    assert refused.value.code == "no_credit"
    assert Order.objects.count() == orders_before
    assert CreditEntry.objects.filter(cause=LedgerCause.LESSON_BOOKED).count() == 0
    assert {lesson.status for lesson in Lesson.objects.filter(pk__in=[x.pk for x in lessons])} == {
        LessonStatus.HELD
    }


def test_someone_else_cannot_pay_a_students_lessons_with_credits():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    paid_package(teacher, learner, lessons=1)
    lesson = held_lesson(teacher, learner)
    with pytest.raises(NotFound):
        lesson_pay_with_credit(actor=StudentFactory(), lessons=[lesson])
    assert not CreditEntry.objects.filter(cause=LedgerCause.LESSON_BOOKED).exists()


def test_a_paid_hold_whose_slot_was_taken_is_refunded_once():
    from billing.choices import OrderKind
    from billing.services import Line, order_create, order_fulfil
    from classroom.scheduling.services import lesson_book, lesson_hold_expire

    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    lesson = held_lesson(teacher, learner)
    order = order_create(
        actor=learner,
        student=learner,
        kind=OrderKind.LESSON,
        method=PaymentMethod.STRIPE,
        currency=lesson.currency,
        teacher=teacher.user,
        lines=[Line(description="x", unit_price=lesson.price, lesson=lesson)],
    )
    lesson_hold_expire(lesson=lesson, now=lesson.hold_expires_at + timedelta(seconds=1))
    other = student()
    lesson_book(actor=other, teacher=teacher, student=other, start=lesson.start, length=60)
    for _ in range(3):
        order_fulfil(
            order_id=order.pk,
            method=PaymentMethod.STRIPE,
            amount=order.total,
            currency=order.currency,
            stripe_payment_intent_id="pi_late",
        )
    assert Refund.objects.filter(payment__order=order).count() == 1
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.EXPIRED
