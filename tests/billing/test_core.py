"""Billing's core services: fulfilment exactly once, refunds once per cause, gap-free papers, the
credit ledger and earnings. Pure database work, no Stripe: the Stripe and manual paths both end here."""

from decimal import Decimal

import pytest
from django.test import override_settings

from billing import conf
from billing.choices import (
    InvoiceKind,
    InvoiceStatus,
    LedgerCause,
    OrderKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundReason,
    RefundStatus,
)
from billing.models import CreditEntry, EarningEntry, Invoice, Payment, Refund
from billing.services import (
    Line,
    credit_balance,
    ledger_add,
    manual_payment_record,
    order_cancel,
    order_create,
    order_fulfil,
    refund_create,
)
from courses.choices import CourseFormat, EnrollmentStatus
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def _course_order(*, price="120.00", method=PaymentMethod.MANUAL, payer=None, student=None):
    course = CourseFactory(price=Decimal(price), currency="EUR")
    student = student or StudentFactory()
    enrollment = EnrollmentFactory(course=course, student=student, status=EnrollmentStatus.PENDING)
    order = order_create(
        actor=payer or student,
        student=student,
        kind=OrderKind.COURSE,
        method=method,
        currency="EUR",
        lines=[Line(description=course.title, unit_price=course.price)],
        course=course,
        enrollment=enrollment,
        teacher=course.owner,
    )
    return order, enrollment


def test_dummy_keys_mean_no_stripe():
    assert not conf.stripe_enabled()
    assert conf.default_method() == PaymentMethod.MANUAL
    with override_settings(STRIPE_TEST_SECRET_KEY="sk_test_" + "a1" * 12):
        assert conf.stripe_enabled()
        assert conf.default_method() == PaymentMethod.STRIPE
    with override_settings(STRIPE_TEST_SECRET_KEY=""):
        assert not conf.stripe_enabled()


def test_only_the_student_or_a_linked_parent_pays():
    stranger = ParentFactory()
    with pytest.raises(NotFound):
        _course_order(payer=stranger)
    parent = ParentFactory()
    child = StudentFactory()
    from authentication.models import GuardianLink

    GuardianLink.objects.create(guardian=parent, child=child, status="active", initiated_by=parent)
    order, _enrollment = _course_order(payer=parent, student=child)
    assert order.payer == parent and order.student == child


def test_fulfil_once_activates_and_replays_change_nothing():
    order, enrollment = _course_order()
    first = order_fulfil(
        order_id=order.pk,
        method=PaymentMethod.STRIPE,
        amount=Decimal("120"),
        currency="eur",
        stripe_payment_intent_id="pi_1",
    )
    assert first.created
    for _ in range(3):
        again = order_fulfil(
            order_id=order.pk,
            method=PaymentMethod.STRIPE,
            amount=Decimal("120"),
            currency="eur",
            stripe_payment_intent_id="pi_1",
        )
        assert not again.created and again.payment.pk == first.payment.pk
    enrollment.refresh_from_db()
    order.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(order=order).count() == 1
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == InvoiceStatus.PAID and invoice.number.startswith("INV-")
    # The course owner earned the course after the commission (20 % by default).
    earning = EarningEntry.objects.get(order=order)
    assert (earning.gross, earning.commission, earning.net) == (
        Decimal("120.00"),
        Decimal("24.00"),
        Decimal("96.00"),
    )


def test_a_payment_that_does_not_match_the_order_is_refused_and_writes_nothing():
    order, enrollment = _course_order()
    with pytest.raises(Conflict) as exc:
        order_fulfil(order_id=order.pk, method="stripe", amount=Decimal("12"), currency="EUR")
    assert exc.value.code == "payment_mismatch"
    with pytest.raises(Conflict):
        order_fulfil(order_id=order.pk, method="stripe", amount=Decimal("120"), currency="USD")
    assert not Payment.objects.exists() and not Invoice.objects.exists()
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.PENDING


def test_a_payment_for_an_undeliverable_order_is_refunded_once():
    """The enrolment ended before the money came: the payment is kept and refunded in full, once."""
    order, enrollment = _course_order(method=PaymentMethod.MANUAL)
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    admin = AdminFactory()
    result = manual_payment_record(actor=admin, order=order)
    manual_payment_record(actor=admin, order=order)
    refund = Refund.objects.get()
    assert refund.amount == Decimal("120.00") and refund.reason == RefundReason.ENROLLMENT_EXPIRED
    assert refund.status == RefundStatus.SUCCEEDED  # manual: recorded as given back by hand
    assert result.payment.status == PaymentStatus.REFUNDED
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.total == Decimal("-120.00") and note.corrects.order == order


def test_manual_payment_needs_an_admin():
    order, _ = _course_order()
    with pytest.raises(PermissionDenied):
        manual_payment_record(actor=order.payer, order=order)
    assert not Payment.objects.exists()


def test_refunds_are_once_per_cause_and_within_what_was_paid():
    order, _ = _course_order()
    payment = order_fulfil(
        order_id=order.pk, method="manual", amount=Decimal("120"), currency="EUR"
    ).payment
    for _ in range(3):
        refund_create(payment=payment, amount=Decimal("50"), reason="admin", cause="admin:one")
    assert Refund.objects.count() == 1
    with pytest.raises(ValidationFailed) as exc:
        refund_create(payment=payment, amount=Decimal("70.01"), reason="admin", cause="admin:two")
    assert "amount" in exc.value.errors
    refund_create(payment=payment, amount=Decimal("70"), reason="admin", cause="admin:three")
    order.refresh_from_db()
    assert order.refunded == Decimal("120.00") and order.status == OrderStatus.REFUNDED
    # Earnings were taken back pro rata: 96 net in, 40 + 56 net out.
    assert sum(e.net for e in EarningEntry.objects.all()) == Decimal("0.00")
    numbers = list(
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
        .order_by("sequence")
        .values_list("number", flat=True)
    )
    year = order.created_at.year
    assert numbers == [f"CN-{year}-000001", f"CN-{year}-000002"]


def test_invoice_numbers_follow_each_other_per_kind():
    numbers = []
    for _ in range(3):
        order, _ = _course_order(price="10")
        order_fulfil(order_id=order.pk, method="manual", amount=Decimal("10"), currency="EUR")
        numbers.append(Invoice.objects.get(order=order).sequence)
    assert numbers == [1, 2, 3]


def test_cancelling_an_open_order_voids_its_invoice_but_a_paid_one_is_refunded_instead():
    from billing.services import invoice_for_order

    order, _ = _course_order()
    invoice_for_order(order=order)
    order_cancel(actor=order.payer, order=order)
    assert Invoice.objects.get(order=order).status == InvoiceStatus.VOID
    paid, _ = _course_order()
    order_fulfil(order_id=paid.pk, method="manual", amount=Decimal("120"), currency="EUR")
    with pytest.raises(Conflict):
        order_cancel(actor=paid.payer, order=paid)
    with pytest.raises(NotFound):
        order_cancel(actor=StudentFactory(), order=order)


def test_package_payment_puts_its_lessons_in_the_ledger():
    course = CourseFactory(
        price=Decimal("100"), format=CourseFormat.ONE_TO_ONE, lessons_included=5, capacity=None
    )
    student = StudentFactory()
    enrollment = EnrollmentFactory(course=course, student=student, status=EnrollmentStatus.PENDING)
    order = order_create(
        actor=student,
        student=student,
        kind=OrderKind.PACKAGE,
        method="manual",
        currency="EUR",
        lines=[Line(description=course.title, unit_price=course.price)],
        course=course,
        enrollment=enrollment,
        teacher=course.owner,
    )
    order_fulfil(order_id=order.pk, method="manual", amount=Decimal("100"), currency="EUR")
    order_fulfil(order_id=order.pk, method="manual", amount=Decimal("100"), currency="EUR")
    entry = CreditEntry.objects.get()
    assert (entry.delta, entry.cause, entry.unit_value) == (
        5,
        LedgerCause.PACKAGE_BOUGHT,
        Decimal("20.00"),
    )
    assert credit_balance(student_id=student.pk, teacher_id=course.owner_id, currency="EUR") == 5


def test_the_ledger_never_goes_below_zero_and_each_cause_moves_once():
    student, teacher = StudentFactory(), StudentFactory()
    kwargs = {"student": student, "teacher": teacher, "currency": "EUR"}
    with pytest.raises(Conflict) as exc:
        ledger_add(**kwargs, delta=-1, cause=LedgerCause.LESSON_BOOKED, cause_key="lesson:1:booked")
    assert exc.value.code == "no_credit" and not CreditEntry.objects.exists()
    ledger_add(**kwargs, delta=2, cause=LedgerCause.ADMIN, cause_key="admin:1")
    _e, created = ledger_add(**kwargs, delta=2, cause=LedgerCause.ADMIN, cause_key="admin:1")
    assert not created
    ledger_add(**kwargs, delta=-1, cause=LedgerCause.LESSON_BOOKED, cause_key="lesson:1:booked")
    assert credit_balance(student_id=student.pk, teacher_id=teacher.pk, currency="EUR") == 1
    assert credit_balance(student_id=student.pk, teacher_id=teacher.pk, currency="USD") == 0


def test_the_webhook_callback_check_replaces_djstripes_deprecation_warning():
    from django.core import checks
    from djstripe import checks as djstripe_checks

    from billing.checks import webhook_callback_check

    registered = checks.registry.registry.registered_checks
    assert djstripe_checks.check_webhook_event_callback_accepts_api_key not in registered
    assert webhook_callback_check in registered
    assert webhook_callback_check() == []
    with override_settings(DJSTRIPE_WEBHOOK_EVENT_CALLBACK="somewhere.else"):
        assert [e.id for e in webhook_callback_check()] == ["billing.E001"]
