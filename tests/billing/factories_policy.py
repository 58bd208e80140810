"""Paid things for the policy tests, made through the services: a lesson paid by card or transfer,
a package bought and paid, a subscription started and paid, a lesson paid with a credit."""

from __future__ import annotations

from decimal import Decimal

from billing.choices import OrderKind, PaymentMethod
from billing.models import Plan
from billing.plans.services import subscription_start
from billing.policy import lesson_pay_with_credit
from billing.services import Line, manual_payment_record, order_create, order_fulfil
from classroom.scheduling.services import lesson_book
from courses.choices import EnrollmentStatus
from tests.authentication.factories import AdminFactory
from tests.booking.factories import days_ahead
from tests.courses.factories import CourseFactory, EnrollmentFactory


def held_lesson(teacher, learner, *, day=3, hour=10, length=60, actor=None, **kwargs):
    return lesson_book(
        actor=actor or learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(day, hour=hour),
        length=length,
        hold=True,
        **kwargs,
    )


def pay_lessons(lessons, *, method=PaymentMethod.MANUAL, payer=None, intent="pi_test_1"):
    """An order for the held lessons, paid (manual: an admin marks it paid; stripe: the fulfilment a
    webhook would run)."""
    first = lessons[0]
    order = order_create(
        actor=payer or first.student,
        student=first.student,
        kind=OrderKind.LESSON,
        method=method,
        currency=first.currency,
        teacher=first.teacher.user,
        lines=[
            Line(description=f"Lesson {lesson.pk}", unit_price=lesson.price, lesson=lesson)
            for lesson in lessons
        ],
    )
    if method == PaymentMethod.MANUAL:
        manual_payment_record(actor=AdminFactory(), order=order)
    else:
        order_fulfil(
            order_id=order.pk,
            method=method,
            amount=order.total,
            currency=order.currency,
            stripe_payment_intent_id=intent,
        )
    order.refresh_from_db()
    return order


def paid_lesson(teacher, learner, *, method=PaymentMethod.MANUAL, **kwargs):
    lesson = held_lesson(teacher, learner, **kwargs)
    order = pay_lessons([lesson], method=method)
    lesson.refresh_from_db()
    return lesson, order


def paid_package(teacher, learner, *, lessons=5, price="100.00", currency="EUR", payer=None):
    """A 1:1 package course the learner enrolled in (pending) and paid by transfer."""
    course = CourseFactory(
        owner=teacher.user,
        format="one_to_one",
        lessons_included=lessons,
        price=Decimal(price),
        currency=currency,
    )
    enrollment = EnrollmentFactory(course=course, student=learner, status=EnrollmentStatus.PENDING)
    order = order_create(
        actor=payer or learner,
        student=learner,
        kind=OrderKind.PACKAGE,
        method=PaymentMethod.MANUAL,
        currency=currency,
        course=course,
        enrollment=enrollment,
        teacher=teacher.user,
        lines=[Line(description=course.title, unit_price=course.price)],
    )
    manual_payment_record(actor=AdminFactory(), order=order)
    return course, order


def package_lesson(teacher, learner, course, *, day=3, hour=10):
    return lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(day, hour=hour),
        length=60,
        course_id=course.pk,
    )


def plan_for(teacher, **kwargs):
    defaults = {
        "name": "Four lessons a month",
        "teacher": teacher.user,
        "credits_per_month": 4,
        "rollover_cap": 2,
        "price": Decimal("80.00"),
        "currency": "EUR",
    }
    defaults.update(kwargs)
    return Plan.objects.create(**defaults)


def paid_subscription(teacher, learner, *, payer=None, now=None, **plan_kwargs):
    plan = plan_for(teacher, **plan_kwargs)
    order = subscription_start(
        actor=payer or learner, plan=plan, student=learner, method=PaymentMethod.MANUAL
    )
    manual_payment_record(actor=AdminFactory(), order=order, now=now)
    subscription = plan.subscriptions.get()
    return plan, subscription


def credit_lesson(teacher, learner, **kwargs):
    lesson = held_lesson(teacher, learner, **kwargs)
    order = lesson_pay_with_credit(actor=learner, lessons=[lesson])
    lesson.refresh_from_db()
    return lesson, order
