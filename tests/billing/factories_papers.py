"""Orders for the papers' tests: a paid course bought by its student (or a parent), by the manual
method, through billing's own services (order_create, manual_invoice_issue, manual_payment_record)."""

from __future__ import annotations

from decimal import Decimal

from billing.choices import OrderKind, PaymentMethod
from billing.models import Order
from billing.papers.services import manual_invoice_issue
from billing.services import Line, manual_payment_record, order_create
from courses.choices import EnrollmentStatus
from tests.authentication.factories import AdminFactory, StudentFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory


def course_order(
    *,
    student=None,
    payer=None,
    price: Decimal = Decimal("120.00"),
    currency: str = "EUR",
    title: str = "Algebra",
    language: str | None = None,
    teacher=None,
) -> Order:
    """An OPEN manual order for a paid course with a pending enrolment, and its OPEN invoice (the
    course is `teacher`'s when given, else a new teacher's)."""
    student = student or StudentFactory()
    payer = payer or student
    if language:
        payer.language = language
        payer.save(update_fields=["language"])
    owner = {"owner": teacher} if teacher else {}
    course = CourseFactory(price=price, currency=currency, title=title, **owner)
    enrollment = EnrollmentFactory(
        course=course, student=student, status=EnrollmentStatus.PENDING, enrolled_by=payer
    )
    order = order_create(
        actor=payer,
        student=student,
        kind=OrderKind.COURSE,
        method=PaymentMethod.MANUAL,
        currency=currency,
        lines=[Line(description=f"Course: {title}", unit_price=price)],
        course=course,
        enrollment=enrollment,
        teacher=course.owner,
    )
    manual_invoice_issue(order=order)
    return order


def paid_course_order(*, admin=None, **kwargs) -> Order:
    order = course_order(**kwargs)
    manual_payment_record(actor=admin or AdminFactory(), order=order, note="Transfer")
    order.refresh_from_db()
    return order


def invoice_only_order(*, student=None, payer=None) -> Order:
    """An OPEN manual order for a line with nothing to deliver behind it (no course, no
    enrolment), and its OPEN invoice: for tests that read the paper and touch no other page."""
    student = student or StudentFactory()
    order = order_create(
        actor=payer or student,
        student=student,
        kind=OrderKind.COURSE,
        method=PaymentMethod.MANUAL,
        currency="EUR",
        lines=[Line(description="Tutoring", unit_price=Decimal("45.00"))],
    )
    manual_invoice_issue(order=order)
    return order
