"""Checkout's test helpers (front): a paid course or lesson package with a pending enrolment, held
lessons with a price, coupons, families, made through the services where there is one."""

from __future__ import annotations

from decimal import Decimal

from authentication.services import guardian_accept, guardian_invite
from billing.models import Coupon
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book
from courses.choices import CourseFormat
from courses.services import enrollment_create
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.courses.factories import CourseFactory


def family():
    """A parent and their linked child (an adult student, no consent gate)."""
    parent, child = ParentFactory(), StudentFactory()
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return parent, child


def paid_course(*, price="30.00", currency="EUR", lessons_included=None, owner=None, **kwargs):
    extra = {}
    if lessons_included:
        extra = {"format": CourseFormat.ONE_TO_ONE, "capacity": None}
    return CourseFactory(
        price=Decimal(price),
        currency=currency,
        lessons_included=lessons_included,
        **({"owner": owner} if owner else {}),
        **extra,
        **kwargs,
    )


def pending_enrollment(*, student=None, actor=None, course=None, **course_kwargs):
    """A pending enrolment of a paid course, through `enrollment_create` (its payment deadline set)."""
    student = student or StudentFactory()
    course = course or paid_course(**course_kwargs)
    return enrollment_create(actor=actor or student, course=course, student=student)


def held_lessons(*, student=None, actor=None, teacher=None, count=1, price="40.00", currency="EUR"):
    """`count` held (awaiting payment) 1:1 lessons of `student`, each priced as booked."""
    teacher = teacher or bookable_teacher()
    student = student or StudentFactory()
    lessons = []
    for n in range(count):
        lesson = lesson_book(
            actor=actor or student,
            teacher=teacher,
            student=student,
            start=days_ahead(5 + n),
            length=60,
            hold=True,
        )
        Lesson.objects.filter(pk=lesson.pk).update(price=Decimal(price), currency=currency)
        lesson.refresh_from_db()
        lessons.append(lesson)
    return lessons


def coupon(code="WELCOME10", **kwargs) -> Coupon:
    if "amount_off" not in kwargs and "percent_off" not in kwargs:
        kwargs["percent_off"] = 10
    return Coupon.objects.create(code=code, **kwargs)
