"""Teachers' earnings: a delivered, a missed and a late-cancelled lesson earn the lesson's paid value
after the commission; a monthly statement per currency with payouts and the balance; a teacher never
sees another teacher's money."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from billing.earnings.selectors import earnings_statement
from billing.earnings.services import payout_record
from billing.models import EarningEntry
from billing.services import earning_record
from classroom.teaching.services import attendance_record
from cplatform.exceptions import NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.billing.factories_policy import (
    credit_lesson,
    package_lesson,
    paid_lesson,
    paid_package,
    paid_subscription,
)
from tests.booking.factories import bookable_teacher, student

pytestmark = pytest.mark.django_db


def _attend(lesson, teacher, status="present"):
    attendance_record(
        actor=teacher.user,
        lesson=lesson,
        marks=[{"student_id": lesson.student_id, "status": status}],
        now=lesson.start + timedelta(minutes=5),
    )


@override_settings(BILLING_COMMISSION_PERCENT="20")
def test_delivered_lessons_earn_their_paid_value_after_commission():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    single, _order = paid_lesson(teacher, learner, day=3)
    course, _order = paid_package(teacher, learner, lessons=4, price="100.00")
    in_package = package_lesson(teacher, learner, course, day=4)
    _attend(single, teacher)
    _attend(in_package, teacher, status="absent")  # a no-show is charged: earned
    single_entry = EarningEntry.objects.get(lesson=single)
    assert single_entry.gross == single.price
    assert single_entry.commission == (single.price * Decimal("0.2")).quantize(Decimal("0.01"))
    assert single_entry.net == single_entry.gross - single_entry.commission
    package_entry = EarningEntry.objects.get(lesson=in_package)
    assert (package_entry.gross, package_entry.net) == (Decimal("25.00"), Decimal("20.00"))


def test_an_excused_absence_is_not_earned_and_is_settled_like_a_free_cancellation():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    paid_subscription(teacher, learner)
    lesson, _order = credit_lesson(teacher, learner)
    _attend(lesson, teacher, status="excused")
    assert not EarningEntry.objects.filter(lesson=lesson).exists()
    from billing.models import CreditEntry

    assert CreditEntry.objects.filter(cause_key=f"lesson:{lesson.pk}:returned").exists()


def test_the_monthly_statement_has_each_currency_its_payouts_and_balance():
    teacher = bookable_teacher(lesson_lengths=[60])
    admin = AdminFactory()
    when = date(2026, 11, 1)
    from datetime import UTC, datetime

    for n, (currency, gross) in enumerate([("EUR", "50.00"), ("EUR", "30.00"), ("USD", "40.00")]):
        earning_record(
            teacher=teacher.user,
            currency=currency,
            gross=Decimal(gross),
            description=f"Lesson {n}",
            cause_key=f"test:{n}",
            earned_at=datetime(2026, 11, 10 + n, 12, tzinfo=UTC),
        )
    earning_record(
        teacher=teacher.user,
        currency="EUR",
        gross=Decimal("99.00"),
        description="December",
        cause_key="test:dec",
        earned_at=datetime(2026, 12, 2, 12, tzinfo=UTC),
    )
    payout = payout_record(
        actor=admin,
        teacher=teacher.user,
        currency="EUR",
        amount="30.00",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    payout.paid_at = datetime(2026, 11, 20, 12, tzinfo=UTC)
    payout.save()
    statement = earnings_statement(viewer=teacher.user, month=when)
    assert [e.description for e in statement.entries] == ["Lesson 0", "Lesson 1", "Lesson 2"]
    totals = {t.currency: t for t in statement.totals}
    assert set(totals) == {"EUR", "USD"}
    assert totals["EUR"].gross == Decimal("80.00") and totals["EUR"].net == Decimal("64.00")
    assert totals["EUR"].payouts == Decimal("30.00")
    assert totals["EUR"].balance == Decimal("34.00")
    assert totals["USD"].net == Decimal("32.00") and totals["USD"].balance == Decimal("32.00")
    # an admin reads it by teacher id
    assert earnings_statement(viewer=admin, month=when, teacher_id=teacher.user_id).totals


def test_a_teacher_never_sees_another_teachers_money_and_others_see_none():
    teacher, other = bookable_teacher(lesson_lengths=[60]), bookable_teacher(lesson_lengths=[60])
    with pytest.raises(NotFound):
        earnings_statement(viewer=other.user, month=date(2026, 11, 1), teacher_id=teacher.user_id)
    for outsider in (StudentFactory(), ParentFactory()):
        with pytest.raises(PermissionDenied):
            earnings_statement(viewer=outsider, month=date(2026, 11, 1))


def test_only_an_admin_records_a_payout_and_bad_input_is_refused():
    teacher = bookable_teacher(lesson_lengths=[60])
    with pytest.raises(PermissionDenied):
        payout_record(
            actor=teacher.user,
            teacher=teacher.user,
            currency="EUR",
            amount="10",
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
        )
    with pytest.raises(ValidationFailed) as refused:
        payout_record(
            actor=AdminFactory(),
            teacher=StudentFactory(),
            currency="XXX",
            amount="-1",
            period_start=date(2026, 11, 30),
            period_end=date(2026, 11, 1),
        )
    assert set(refused.value.errors) == {"teacher", "currency", "amount", "period_end"}
