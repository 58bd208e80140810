"""The demo's money, through billing's services: manual payments with their invoices for a course
(Sofía, in Spanish) and a lesson package (Liam), a subscription (Emma, when the plans part is
installed), an admin's partial refund with its credit note, and a teacher statement (Ana's course
earnings and a payout). Idempotent: every step finds what an earlier run made (the order of an
enrolment, the refund's fixed cause, the plan's subscription, the payout's period)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from authentication.models import User
from billing.choices import OrderKind, OrderStatus, PaymentMethod
from billing.models import Order, Payout, Plan, Subscription
from billing.papers.services import admin_refund_create, manual_invoice_issue
from billing.services import Line, manual_payment_record, order_create
from courses.choices import EnrollmentStatus
from courses.models import Course, Enrollment

logger = logging.getLogger(__name__)

ADMIN = "admin@example.com"
REFUND_KEY = "7d0f3c1e-5b7a-4c52-9a0e-0d3e5b1c9f21"  # the demo refund's cause: made once


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _pay(order: Order, admin: User, note: str) -> Order:
    if order.status == OrderStatus.OPEN:
        manual_payment_record(actor=admin, order=order, note=note)
        order.refresh_from_db()
    return order


def _course_order(*, course_slug: str, email: str, kind: str, admin: User, note: str) -> Order:
    """The student's manual order for the course (made and paid once)."""
    course = Course.objects.get(slug=course_slug)
    student = _user(email)
    enrollment = Enrollment.objects.filter(course=course, student=student).first()
    if enrollment is None:
        from courses.services import enrollment_create

        enrollment = enrollment_create(actor=student, course=course, student=student)
    order = Order.objects.filter(enrollment=enrollment).first()
    if order is None:
        if enrollment.status != EnrollmentStatus.PENDING:
            return None
        title = course.title
        order = order_create(
            actor=student,
            student=student,
            kind=kind,
            method=PaymentMethod.MANUAL,
            currency=course.currency,
            lines=[Line(description=title, unit_price=course.price)],
            course=course,
            enrollment=enrollment,
            teacher=course.owner,
        )
        manual_invoice_issue(order=order)
    return _pay(order, admin, note)


def _subscription(admin: User) -> None:
    """Emma's monthly plan with Chloe, paid by transfer (needs the plans part of billing)."""
    try:
        from billing.plans.services import subscription_start
    except ImportError:
        return
    teacher, student = _user("chloe.martin@example.com"), _user("emma.wilson@example.com")
    plan, _created = Plan.objects.get_or_create(
        name="Piano: four lessons a month",
        teacher=teacher,
        defaults={
            "credits_per_month": 4,
            "rollover_cap": 2,
            "price": Decimal("140.00"),
            "currency": "EUR",
            "lesson_minutes": 45,
        },
    )
    if Subscription.objects.filter(plan=plan, student=student).exists():
        order = Order.objects.filter(plan=plan, student=student).first()
    else:
        order = subscription_start(
            actor=student, plan=plan, student=student, method=PaymentMethod.MANUAL
        )
    if order is not None:
        _pay(order, admin, "Transfer, first month")


def _payout(admin: User) -> None:
    """Ana's payout for last month (the statement shows it against her earnings)."""
    teacher = _user("ana.garcia@example.com")
    first_of_month = timezone.localdate().replace(day=1)
    end = first_of_month - timedelta(days=1)
    start = date(end.year, end.month, 1)
    if Payout.objects.filter(teacher=teacher, period_start=start, period_end=end).exists():
        return
    fields = {
        "teacher": teacher,
        "currency": "EUR",
        "amount": Decimal("60.00"),
        "period_start": start,
        "period_end": end,
        "note": "Bank transfer",
    }
    try:
        from billing.earnings.services import payout_record
    except ImportError:  # before the earnings part is installed: the row it would write
        Payout.objects.create(recorded_by=admin, **fields)
    else:
        payout_record(actor=admin, **fields)


def load_demo_billing() -> None:
    admin = _user(ADMIN)
    course = _course_order(
        course_slug="fisica-para-selectividad",
        email="sofia.ruiz@example.com",
        kind=OrderKind.COURSE,
        admin=admin,
        note="Transferencia",
    )
    _course_order(
        course_slug="business-english-one-to-one",
        email="liam.johnson@example.com",
        kind=OrderKind.PACKAGE,
        admin=admin,
        note="Bank transfer",
    )
    if course is not None:
        admin_refund_create(
            actor=admin,
            payment=course.payments.get(),
            amount=Decimal("20.00"),
            note="Missed the first class (teacher ill)",
            key=REFUND_KEY,
        )
    _subscription(admin)
    _payout(admin)
