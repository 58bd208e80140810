"""A small fixed data set for the analytics selectors, with hand-computed expectations in the tests.

The school is in Madrid (UTC+1 in November). The period is November 2026 (Madrid days), the previous
period 2 October – 31 October. Edge rows sit on day boundaries:
- lesson L1 at 23:30 Madrid on 5 Nov (22:30 UTC) → 5 Nov; lesson L2 at 00:30 Madrid on 6 Nov (23:30
  UTC on 5 Nov) → 6 Nov in Madrid, 5 Nov in UTC;
- payment P2 at 23:30 Madrid on 30 Nov → in November; payment P3 at 00:30 Madrid on 1 Dec (23:30 UTC
  on 30 Nov) → out of November in Madrid, in it in UTC."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from postman.models import Message

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
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
    SubscriptionStatus,
)
from billing.models import (
    CreditEntry,
    EarningEntry,
    Invoice,
    Order,
    Payment,
    Payout,
    Plan,
    Refund,
    Subscription,
)
from classroom.choices import AttendanceStatus, LessonKind, LessonStatus
from classroom.models import (
    Attendance,
    AvailabilityException,
    AvailabilityRule,
    Lesson,
    LessonSeat,
    TeacherProfile,
)
from courses.choices import EnrollmentStatus
from courses.models import ModuleCompletion
from dashboards.analytics.periods import Period
from dashboards.analytics.recording import counter_add
from dashboards.models import DailyActive
from inbox.models import Room, RoomKind, RoomMessage
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
_seq = itertools.count(1)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Data:
    admin: User
    t1: User
    t2: User
    s1: User
    s2: User
    s3: User
    parent: User
    c1: object
    c2: object
    lessons: dict


def _joined(user, when):
    User.objects.filter(pk=user.pk).update(date_joined=when)
    user.date_joined = when


def _lesson(teacher, student, start, minutes=60, **kw) -> Lesson:
    from datetime import timedelta

    return Lesson.objects.create(
        teacher=teacher.teacher_profile,
        student=student,
        booked_by=student or teacher,
        start=start,
        end=start + timedelta(minutes=minutes),
        **kw,
    )


def _order(
    payer,
    student,
    teacher,
    currency,
    total,
    *,
    course=None,
    kind=OrderKind.COURSE,
    method=PaymentMethod.STRIPE,
    status=OrderStatus.PAID,
):
    return Order.objects.create(
        kind=kind,
        status=status,
        method=method,
        payer=payer,
        student=student,
        teacher=teacher,
        course=course,
        currency=currency,
        subtotal=total,
        total=total,
    )


def _pay(order, received_at, *, status=PaymentStatus.SUCCEEDED, method=None):
    return Payment.objects.create(
        order=order,
        method=method or order.method,
        status=status,
        amount=order.total,
        currency=order.currency,
        received_at=received_at,
    )


def _refund(payment, amount, created_at, status=RefundStatus.SUCCEEDED):
    return Refund.objects.create(
        payment=payment,
        amount=Decimal(amount),
        currency=payment.currency,
        reason=RefundReason.ADMIN,
        cause=f"admin:test-{next(_seq)}",
        status=status,
        created_at=created_at,
    )


def _invoice(order, status, total):
    n = next(_seq)
    return Invoice.objects.create(
        kind=InvoiceKind.INVOICE,
        number=f"T-2026-{n:05d}",
        year=2026,
        sequence=n,
        status=status,
        order=order,
        payer=order.payer,
        payer_name="Payer",
        payer_email=order.payer.email,
        currency=order.currency,
        total=Decimal(total),
    )


def _credit(student, teacher, currency, delta, cause, when):
    CreditEntry.objects.create(
        student=student,
        teacher=teacher,
        currency=currency,
        delta=delta,
        cause=cause,
        cause_key=f"test:{next(_seq)}",
        created_at=when,
    )


def build() -> Data:
    admin = AdminFactory()
    t1 = TeacherFactory(first_name="Ana", last_name="Teacher", timezone="Europe/Madrid")
    t2 = TeacherFactory(first_name="Bob", last_name="Teacher", timezone="America/New_York")
    s1 = StudentFactory(first_name="Sara", last_name="One")
    s2 = StudentFactory(first_name="Tom", last_name="Two")
    s3 = StudentFactory(first_name="Uma", last_name="Three")
    parent = ParentFactory(first_name="Pia", last_name="Parent")
    GuardianLink.objects.create(
        guardian=parent,
        child=s1,
        invited_email=s1.email,
        initiated_by=parent,
        status=GuardianLinkStatus.ACTIVE,
    )
    for user, when in (
        (admin, utc(2026, 1, 1, 9)),
        (t1, utc(2026, 9, 1, 9)),
        (t2, utc(2026, 11, 30, 23, 30)),  # 1 Dec in Madrid: not a November sign-up
        (s1, utc(2026, 11, 2, 10)),
        (s2, utc(2026, 11, 10, 10)),
        (s3, utc(2026, 10, 15, 10)),  # previous period
        (parent, utc(2026, 11, 3, 10)),
    ):
        _joined(user, when)
    for t in (t1, t2):
        TeacherProfile.objects.get_or_create(user=t)
        t.refresh_from_db()

    # Courses, modules, enrolments, progress.
    c1 = CourseFactory(owner=t1, title="Algebra", capacity=10, price=Decimal("100"), currency="EUR")
    c2 = CourseFactory(owner=t2, title="Biology", capacity=5, price=Decimal("80"), currency="USD")
    m1, m2 = ModuleFactory(course=c1), ModuleFactory(course=c1)
    ModuleFactory(course=c2)
    e11 = EnrollmentFactory(course=c1, student=s1, created_at=utc(2026, 11, 3, 10))
    e21 = EnrollmentFactory(course=c1, student=s2, created_at=utc(2026, 11, 10, 10))
    EnrollmentFactory(course=c2, student=s3, created_at=utc(2026, 10, 20, 10))
    EnrollmentFactory(
        course=c1, student=s3, created_at=utc(2026, 11, 12, 10), status=EnrollmentStatus.WITHDRAWN
    )
    for enrolment, module in ((e11, m1), (e11, m2), (e21, m1)):
        ModuleCompletion.objects.create(enrollment=enrolment, module=module)

    # Lessons and attendance.
    done, cancelled = LessonStatus.COMPLETED, LessonStatus.CANCELLED
    lessons = {
        "L1": _lesson(t1, s1, utc(2026, 11, 5, 22, 30), status=done, homework="Read chapter 1"),
        "L2": _lesson(t1, s2, utc(2026, 11, 5, 23, 30), status=done),
        "L3": _lesson(t1, s2, utc(2026, 11, 12, 10), status=cancelled, cancelled_late=True),
        "L4": _lesson(t1, s1, utc(2026, 11, 13, 10), status=cancelled),
        "L5": _lesson(t2, s3, utc(2026, 11, 14, 15), status=LessonStatus.NO_SHOW),
        "L6": _lesson(t2, s3, utc(2026, 10, 20, 15), status=done),
        "L7": _lesson(
            t1,
            None,
            utc(2026, 11, 20, 9),
            status=done,
            kind=LessonKind.GROUP,
            course=c1,
            capacity=4,
        ),
    }
    for student in (s1, s2):
        LessonSeat.objects.create(lesson=lessons["L7"], student=student)
    for name, student, status in (
        ("L1", s1, AttendanceStatus.PRESENT),
        ("L2", s2, AttendanceStatus.LATE),
        ("L5", s3, AttendanceStatus.ABSENT),
        ("L6", s3, AttendanceStatus.PRESENT),
        ("L7", s1, AttendanceStatus.PRESENT),
        ("L7", s2, AttendanceStatus.ABSENT),
    ):
        Attendance.objects.create(lesson=lessons[name], student=student, status=status)

    # Availability: Ana (Madrid) Mondays 09:00–12:00, time off on Monday 16 Nov; Bob (New York)
    # Sundays 22:00–24:00.
    AvailabilityRule.objects.create(
        teacher=t1.teacher_profile, weekday=0, start_time=time(9), end_time=time(12)
    )
    AvailabilityException.objects.create(
        teacher=t1.teacher_profile, start=utc(2026, 11, 16, 8), end=utc(2026, 11, 16, 11)
    )
    AvailabilityRule.objects.create(
        teacher=t2.teacher_profile, weekday=6, start_time=time(22), end_time=time(0)
    )

    # Money.
    o1 = _order(s1, s1, t1, "EUR", Decimal("100"), course=c1)
    p1 = _pay(o1, utc(2026, 11, 3, 10))
    _refund(p1, "20", utc(2026, 11, 4, 10))
    o2 = _order(
        parent, s1, t1, "EUR", Decimal("30"), kind=OrderKind.LESSON, method=PaymentMethod.MANUAL
    )
    _pay(o2, utc(2026, 11, 30, 22, 30))  # 23:30 Madrid, 30 Nov
    o3 = _order(s2, s2, t1, "EUR", Decimal("100"), course=c1)
    _pay(o3, utc(2026, 11, 30, 23, 30))  # 00:30 Madrid, 1 Dec
    o4 = _order(s3, s3, t2, "USD", Decimal("80"), course=c2)
    p4 = _pay(o4, utc(2026, 11, 14, 12), status=PaymentStatus.PARTIALLY_REFUNDED)
    _refund(p4, "30", utc(2026, 11, 16, 12))
    _refund(p4, "10", utc(2026, 11, 17, 12), status=RefundStatus.PENDING)  # not given back yet
    o5 = _order(s3, s3, t2, "USD", Decimal("50"), course=c2, status=OrderStatus.OPEN)
    _pay(o5, utc(2026, 11, 15, 12), status=PaymentStatus.FAILED)
    o6 = _order(
        s1, s1, t1, "EUR", Decimal("25"), kind=OrderKind.LESSON, method=PaymentMethod.CREDIT
    )
    _pay(o6, utc(2026, 11, 6, 12))  # paid with a credit: no money came in
    o7 = _order(s1, s1, t1, "EUR", Decimal("40"), kind=OrderKind.LESSON)
    _pay(o7, utc(2026, 10, 15, 12))  # previous period
    _invoice(o1, InvoiceStatus.PAID, "100")
    o8 = _order(s2, s2, t1, "EUR", Decimal("45"), kind=OrderKind.LESSON, status=OrderStatus.OPEN)
    _invoice(o8, InvoiceStatus.OPEN, "45")
    o9 = _order(s3, s3, t2, "USD", Decimal("60"), kind=OrderKind.LESSON, status=OrderStatus.OPEN)
    _invoice(o9, InvoiceStatus.OPEN, "60")

    _credit(s1, t1, "EUR", 5, LedgerCause.PACKAGE_BOUGHT, utc(2026, 11, 2, 10))
    _credit(s1, t1, "EUR", -1, LedgerCause.LESSON_BOOKED, utc(2026, 11, 5, 10))
    _credit(s1, t1, "EUR", -1, LedgerCause.LESSON_BOOKED, utc(2026, 11, 13, 9))
    _credit(s1, t1, "EUR", 1, LedgerCause.LESSON_RETURNED, utc(2026, 11, 13, 12))
    _credit(s3, t2, "USD", 4, LedgerCause.SUBSCRIPTION_GRANT, utc(2026, 11, 1, 10))
    _credit(s3, t2, "USD", -1, LedgerCause.LESSON_BOOKED, utc(2026, 11, 14, 9))

    plan = Plan.objects.create(
        name="Weekly", teacher=t2, credits_per_month=4, price=Decimal("60"), currency="USD"
    )
    plan2 = Plan.objects.create(
        name="Twice", teacher=t2, credits_per_month=8, price=Decimal("110"), currency="USD"
    )
    for student, status, created, cancelled_at, use_plan in (
        (s1, SubscriptionStatus.ACTIVE, utc(2026, 10, 1), None, plan),
        (s2, SubscriptionStatus.PAUSED, utc(2026, 10, 5), None, plan),
        (s3, SubscriptionStatus.CANCELLED, utc(2026, 10, 1), utc(2026, 11, 20), plan),
        (s3, SubscriptionStatus.CANCELLED, utc(2026, 8, 1), utc(2026, 9, 1), plan),
        (s1, SubscriptionStatus.INCOMPLETE, utc(2026, 11, 25), None, plan2),
    ):
        Subscription.objects.create(
            plan=use_plan,
            payer=student,
            student=student,
            method=PaymentMethod.STRIPE,
            status=status,
            created_at=created,
            cancelled_at=cancelled_at,
        )

    for teacher, currency, net, when in (
        (t1, "EUR", "80", utc(2026, 11, 5, 12)),
        (t1, "EUR", "-16", utc(2026, 11, 4, 12)),
        (t1, "EUR", "30", utc(2026, 10, 15, 12)),
        (t2, "USD", "64", utc(2026, 11, 14, 12)),
    ):
        EarningEntry.objects.create(
            teacher=teacher,
            currency=currency,
            gross=Decimal(net),
            commission=Decimal("0"),
            net=Decimal(net),
            description="test",
            cause_key=f"test:{next(_seq)}",
            earned_at=when,
        )
    for amount, when in (("50", utc(2026, 11, 20, 12)), ("20", utc(2026, 10, 20, 12))):
        Payout.objects.create(
            teacher=t1,
            currency="EUR",
            amount=Decimal(amount),
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            recorded_by=admin,
            paid_at=when,
        )

    # Engagement records.
    for user, day in (
        (s1, 28),
        (s1, 29),
        (s1, 30),
        (s2, 30),
        (s3, 10),
        (t1, 30),
    ):
        DailyActive.objects.create(user=user, day=date(2026, 11, day))
    DailyActive.objects.create(user=parent, day=date(2026, 10, 31))
    for sender, recipient, when in (
        (s1, t1, utc(2026, 11, 5, 10)),
        (t1, s1, utc(2026, 11, 6, 10)),
    ):
        Message.objects.create(
            sender=sender,
            recipient=recipient,
            subject="Hi",
            body="Hello",
            moderation_status="a",
            sent_at=when,
        )
    room = Room.objects.create(kind=RoomKind.GROUP, name="Study", created_by=t1)
    RoomMessage.objects.create(
        room=room, author=s2, body="Hi all", created_at=utc(2026, 11, 20, 10)
    )
    counter_add(key="download", day=date(2026, 11, 5), n=2)
    counter_add(key="download", day=date(2026, 10, 20), n=1)
    counter_add(key="pageview", day=date(2026, 11, 30), n=10)

    return Data(admin, t1, t2, s1, s2, s3, parent, c1, c2, lessons)
