"""Checkout (billing.checkout.services): an order per thing bought, for the right payer, at the right
price, with coupons, and nothing delivered until the money arrives."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from billing.checkout.services import checkout_course, checkout_lessons
from billing.choices import (
    InvoiceKind,
    InvoiceStatus,
    LedgerCause,
    OrderKind,
    OrderStatus,
    PaymentMethod,
)
from billing.models import CreditEntry, Invoice, Order, OrderLine
from billing.services import credit_balance, manual_payment_record
from courses.choices import EnrollmentStatus
from cplatform.exceptions import Conflict, NotFound, ValidationFailed
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.billing.factories_front import (
    coupon,
    family,
    held_lessons,
    pending_enrollment,
)

pytestmark = pytest.mark.django_db

REAL_KEY = "sk_test_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3"


def test_a_student_checks_out_a_paid_course_and_gets_an_open_manual_invoice():
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment)
    assert (order.kind, order.status, order.method) == (
        OrderKind.COURSE,
        OrderStatus.OPEN,
        PaymentMethod.MANUAL,
    )
    assert (order.total, order.currency, order.teacher_id) == (
        Decimal("30.00"),
        "EUR",
        enrollment.course.owner_id,
    )
    assert order.expires_at == enrollment.payment_due_by
    invoice = Invoice.objects.get(order=order)
    assert (invoice.kind, invoice.status, invoice.total) == (
        InvoiceKind.INVOICE,
        InvoiceStatus.OPEN,
        Decimal("30.00"),
    )
    assert invoice.due_at <= order.expires_at
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.PENDING  # nothing delivered before payment


def test_a_course_with_lessons_included_is_a_package_order_crediting_its_lessons_once_paid():
    parent, child = family()
    enrollment = pending_enrollment(student=child, actor=parent, price="100.00", lessons_included=5)
    order = checkout_course(actor=parent, enrollment=enrollment)
    assert order.kind == OrderKind.PACKAGE
    assert (order.payer, order.student) == (parent, child)
    manual_payment_record(actor=AdminFactory(), order=order)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    teacher = enrollment.course.owner
    assert credit_balance(student_id=child.pk, teacher_id=teacher.pk, currency="EUR") == 5
    entry = CreditEntry.objects.get(order=order)
    assert (entry.cause, entry.unit_value) == (LedgerCause.PACKAGE_BOUGHT, Decimal("20.00"))


def test_a_second_checkout_answers_the_open_order_and_another_method_replaces_it():
    enrollment = pending_enrollment()
    first = checkout_course(actor=enrollment.student, enrollment=enrollment)
    again = checkout_course(actor=enrollment.student, enrollment=enrollment)
    assert again.pk == first.pk
    assert Order.objects.filter(enrollment=enrollment).count() == 1
    with override_settings(STRIPE_TEST_SECRET_KEY=REAL_KEY):
        card = checkout_course(actor=enrollment.student, enrollment=enrollment, method="stripe")
    assert card.pk != first.pk and card.method == PaymentMethod.STRIPE
    first.refresh_from_db()
    assert first.status == OrderStatus.CANCELLED
    assert Invoice.objects.get(order=first).status == InvoiceStatus.VOID
    assert Order.objects.filter(enrollment=enrollment, status=OrderStatus.OPEN).count() == 1


def test_card_payment_is_refused_while_stripe_is_off():
    enrollment = pending_enrollment()
    with pytest.raises(ValidationFailed) as refusal:
        checkout_course(actor=enrollment.student, enrollment=enrollment, method="stripe")
    assert refusal.value.code == "method_unavailable"
    assert "method" in refusal.value.errors
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "who", ["another_student", "teacher", "admin", "course_owner"], ids=lambda w: w
)
def test_only_the_student_or_their_parent_checks_out_anyone_else_meets_a_missing_one(who):
    enrollment = pending_enrollment()
    actor = {
        "another_student": StudentFactory,
        "teacher": TeacherFactory,
        "admin": AdminFactory,
        "course_owner": lambda: enrollment.course.owner,
    }[who]()
    with pytest.raises(NotFound):
        checkout_course(actor=actor, enrollment=enrollment)
    assert not Order.objects.exists()


def test_an_active_enrolment_or_a_free_course_is_not_checked_out():
    enrollment = pending_enrollment()
    checkout_course(actor=enrollment.student, enrollment=enrollment)
    manual_payment_record(actor=AdminFactory(), order=Order.objects.get())
    with pytest.raises(Conflict) as refusal:
        checkout_course(actor=enrollment.student, enrollment=enrollment)
    assert refusal.value.code == "enrollment_not_pending"


def test_a_percent_coupon_takes_its_share_off_and_counts_once_when_paid():
    offer = coupon("HALF", percent_off=50, max_redemptions=1)
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment, coupon_code="half")
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("30.00"),
        Decimal("15.00"),
        Decimal("15.00"),
    )
    offer.refresh_from_db()
    assert offer.times_redeemed == 0  # placed, not paid
    manual_payment_record(actor=AdminFactory(), order=order)
    manual_payment_record(actor=AdminFactory(), order=order)  # a replay pays nothing new
    offer.refresh_from_db()
    assert offer.times_redeemed == 1
    other = pending_enrollment()
    with pytest.raises(ValidationFailed) as refusal:
        checkout_course(actor=other.student, enrollment=other, coupon_code="HALF")
    assert refusal.value.code == "coupon_invalid"
    assert list(refusal.value.errors) == ["coupon"]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"percent_off": 10, "active": False}, "switched off"),
        ({"percent_off": 10, "valid_until": "past"}, "expired"),
        ({"amount_off": Decimal("5"), "currency": "USD"}, "another currency"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_an_unusable_coupon_is_refused_on_its_field_and_places_nothing(kwargs, reason):
    if kwargs.get("valid_until") == "past":
        kwargs["valid_until"] = timezone.now() - timedelta(days=1)
    coupon("NOPE", **kwargs)
    enrollment = pending_enrollment(price="30.00", currency="EUR")
    with pytest.raises(ValidationFailed) as refusal:
        checkout_course(actor=enrollment.student, enrollment=enrollment, coupon_code="NOPE")
    assert refusal.value.errors["coupon"], reason
    assert not Order.objects.exists()
    with pytest.raises(ValidationFailed):
        checkout_course(actor=enrollment.student, enrollment=enrollment, coupon_code="MISSING")


def test_an_amount_coupon_never_takes_more_than_the_price_and_a_free_order_is_paid_at_once():
    coupon("ALL", amount_off=Decimal("50.00"), currency="EUR")
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment, coupon_code="ALL")
    assert (order.discount, order.total, order.status) == (
        Decimal("30.00"),
        Decimal("0.00"),
        OrderStatus.PAID,
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_held_lessons_are_checked_out_at_their_stored_price_and_expire_with_the_hold():
    parent, child = family()
    lessons = held_lessons(student=child, actor=parent, count=2, price="40.00", currency="USD")
    order = checkout_lessons(actor=parent, lessons=lessons)
    assert (order.kind, order.total, order.currency) == (OrderKind.LESSON, Decimal("80.00"), "USD")
    assert order.teacher_id == lessons[0].teacher.user_id
    assert order.expires_at == min(lesson.hold_expires_at for lesson in lessons)
    assert sorted(order.lines.values_list("lesson_id", flat=True)) == [ls.pk for ls in lessons]
    again = checkout_lessons(actor=parent, lessons=lessons)
    assert again.pk == order.pk
    assert OrderLine.objects.filter(lesson__in=lessons).count() == 2


def test_lessons_of_two_students_or_not_held_are_refused():
    parent, child = family()
    mine = held_lessons(student=child, actor=parent)
    sibling = StudentFactory()
    guardian_lessons = held_lessons(student=sibling)
    with pytest.raises(NotFound):  # the sibling is not the parent's child
        checkout_lessons(actor=parent, lessons=[*mine, *guardian_lessons])
    with pytest.raises(ValidationFailed) as refusal:
        checkout_lessons(actor=parent, lessons=[])
    assert refusal.value.code == "lesson_not_payable"
    assert not Order.objects.exists()


def test_a_lesson_order_switches_method_in_place():
    lessons = held_lessons()
    student = lessons[0].student
    order = checkout_lessons(actor=student, lessons=lessons)
    assert Invoice.objects.get(order=order).status == InvoiceStatus.OPEN
    with override_settings(STRIPE_TEST_SECRET_KEY=REAL_KEY):
        card = checkout_lessons(actor=student, lessons=lessons, method="stripe")
    assert card.pk == order.pk and card.method == PaymentMethod.STRIPE
    assert Invoice.objects.get(order=order).status == InvoiceStatus.VOID
    back = checkout_lessons(actor=student, lessons=lessons, method="manual")
    assert back.method == PaymentMethod.MANUAL
    assert Invoice.objects.get(order=order).status == InvoiceStatus.OPEN
