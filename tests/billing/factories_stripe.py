"""Orders paid through the Stripe stand-in (tests/stripe_standin), for the Stripe engineer's tests."""

from __future__ import annotations

import json
from decimal import Decimal

from billing.choices import OrderKind, PaymentMethod
from billing.services import Line, order_create
from billing.stripe.client import checkout_session_for
from courses.choices import CourseFormat, EnrollmentStatus
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory

SUCCESS_URL = "https://testserver/en/billing/paid/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://testserver/en/billing/cancelled/"


def paid_course(*, price="40.00", currency="EUR", **kwargs):
    return CourseFactory(
        price=Decimal(price),
        currency=currency,
        owner=kwargs.pop("owner", None) or TeacherFactory(),
        **kwargs,
    )


def package_course(*, price="150.00", lessons=5, **kwargs):
    return paid_course(
        price=price, format=CourseFormat.ONE_TO_ONE, lessons_included=lessons, capacity=1, **kwargs
    )


def course_order(*, course=None, student=None, payer=None, expires_at=None):
    """An OPEN Stripe order for a pending enrolment in a paid course."""
    course = course or paid_course()
    student = student or StudentFactory()
    enrollment = EnrollmentFactory(course=course, student=student, status=EnrollmentStatus.PENDING)
    return order_create(
        actor=payer or student,
        student=student,
        kind=OrderKind.PACKAGE if course.lessons_included else OrderKind.COURSE,
        method=PaymentMethod.STRIPE,
        currency=course.currency,
        lines=[Line(description=course.title, unit_price=course.price)],
        expires_at=expires_at,
        course=course,
        enrollment=enrollment,
        teacher=course.owner,
    )


def checkout(order) -> str:
    """Open the order's Checkout session on the stand-in; returns the session id."""
    checkout_session_for(order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    order.refresh_from_db()
    return order.stripe_checkout_session_id


def deliver(standin, client, event, capture):
    """Post a signed event to dj-stripe's endpoint and run what it leaves for after commit (the
    django-q2 task, inline as the test settings run tasks)."""
    with capture(execute=True):
        response = standin.deliver(client, event)
    assert response.status_code == 200, response.content
    return response


def body(event) -> str:
    return json.dumps(event)
