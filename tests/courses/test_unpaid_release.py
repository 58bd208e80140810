"""A pending enrolment of a paid course is paid by its `payment_due_by` (ENROLLMENT_PAYMENT_HOURS
after it was made): unpaid, the sweep releases it ("expired"), its seat returns and the waitlist
moves up; billing's `enrollment_activate` then refuses it (`enrollment_expired`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import formats, timezone
from django_q.models import Schedule

from courses.choices import EnrollmentStatus
from courses.schedule import FUNC as SWEEP_FUNC
from courses.services import (
    enrollment_activate,
    enrollment_create,
    enrollment_release_unpaid,
    enrollments_release_unpaid_due,
)
from courses.signals import enrollment_ended, enrollment_expired
from courses.tasks import release_unpaid_enrollments
from cplatform.exceptions import Conflict
from inbox.models import Notification, NotificationKind
from inbox.notifications.services import render_text
from tests.authentication.factories import StudentFactory
from tests.booking.test_holds import heard
from tests.courses.factories import CourseFactory

pytestmark = pytest.mark.django_db


def paid_course(capacity=1):
    return CourseFactory(price=Decimal("120.00"), currency="EUR", capacity=capacity)


def test_a_pending_enrolment_is_due_for_payment_after_the_setting_hours(settings):
    settings.ENROLLMENT_PAYMENT_HOURS = 10
    before = timezone.now()
    pending = enrollment_create(actor=StudentFactory(), course=paid_course())
    assert pending.status == EnrollmentStatus.PENDING
    assert before + timedelta(hours=10) <= pending.payment_due_by
    assert pending.payment_due_by <= timezone.now() + timedelta(hours=10)
    free = enrollment_create(actor=StudentFactory(), course=CourseFactory())
    assert free.status == EnrollmentStatus.ACTIVE and free.payment_due_by is None


def test_the_sweep_releases_an_unpaid_enrolment_once_returns_the_seat_and_promotes_the_waitlist():
    course = paid_course(capacity=1)
    first, second = StudentFactory(), StudentFactory()
    pending = enrollment_create(actor=first, course=course)
    waiting = enrollment_create(actor=second, course=course, waitlist=True)
    assert waiting.status == EnrollmentStatus.WAITLISTED
    due = pending.payment_due_by
    with heard(enrollment_expired) as expired, heard(enrollment_ended) as ended:
        assert enrollments_release_unpaid_due(now=due - timedelta(seconds=1)) == 0
        assert enrollments_release_unpaid_due(now=due) == 1
        assert enrollments_release_unpaid_due(now=due) == 0
    assert [c["enrollment"].pk for c in expired] == [pending.pk]
    assert [(c["enrollment"].pk, c["previous_status"]) for c in ended] == [(pending.pk, "pending")]
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == EnrollmentStatus.EXPIRED and pending.ended_by is None
    # the seat went to the waitlist, which now has its own time to pay
    assert waiting.status == EnrollmentStatus.PENDING
    assert waiting.payment_due_by is not None
    told = Notification.objects.filter(kind=NotificationKind.ENROLLMENT_EXPIRED)
    assert [n.recipient_id for n in told] == [first.pk]
    assert "was released because it was not paid in time" in render_text(told.get())


def test_billing_activates_a_pending_enrolment_but_not_one_released(settings):
    course = paid_course(capacity=5)
    paid = enrollment_create(actor=StudentFactory(), course=course)
    late = enrollment_create(actor=StudentFactory(), course=course)
    assert enrollment_activate(actor=None, enrollment=paid).status == EnrollmentStatus.ACTIVE
    paid.refresh_from_db()
    assert paid.payment_due_by is None
    assert not enrollment_release_unpaid(enrollment=paid, now=timezone.now() + timedelta(days=9))
    assert enrollment_release_unpaid(enrollment=late, now=late.payment_due_by)
    with pytest.raises(Conflict) as refusal:
        enrollment_activate(actor=None, enrollment=late)
    assert refusal.value.code == "enrollment_expired"
    late.refresh_from_db()
    assert late.status == EnrollmentStatus.EXPIRED


def test_the_release_task_runs_on_the_clock_and_is_scheduled(clock):
    pending = enrollment_create(actor=StudentFactory(), course=paid_course())
    schedule = Schedule.objects.get(func=SWEEP_FUNC)
    assert schedule.repeats == -1 and schedule.minutes == 5
    assert release_unpaid_enrollments() == 0
    clock.move_to(pending.payment_due_by + timedelta(seconds=5))
    assert release_unpaid_enrollments() == 1
    pending.refresh_from_db()
    assert pending.status == EnrollmentStatus.EXPIRED


def test_the_student_sees_when_to_pay_and_the_api_says_it(client):
    learner = StudentFactory(timezone="America/New_York")
    course = paid_course()
    pending = enrollment_create(actor=learner, course=course)
    client.force_login(learner)
    page = client.get("/courses/mine/").content.decode()
    import zoneinfo

    shown = formats.date_format(
        pending.payment_due_by.astimezone(zoneinfo.ZoneInfo("America/New_York")),
        "DATETIME_FORMAT",
    )
    assert f"Pay by {shown}" in page
