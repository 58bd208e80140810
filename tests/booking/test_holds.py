"""Bookings awaiting payment (held lessons, issue 14): a priced lesson's review ends in Pay, the
booking is held (it blocks the slot in PostgreSQL's exclusion constraint), is left out of calendar
feeds and reminders, expires unpaid after LESSON_HOLD_MINUTES (the sweep frees the slot and tells the
payer once), and is confirmed by `lesson_hold_confirm` once paid."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import formats, timezone
from django_q.models import Schedule
from icalendar import Calendar

from classroom.choices import LessonStatus
from classroom.models import Lesson, TeacherProfile
from classroom.schedule import FUNC as SWEEP_FUNC
from classroom.scheduling import selectors
from classroom.scheduling.services import (
    lesson_book,
    lesson_cancel,
    lesson_hold_confirm,
    lesson_hold_expire,
    lessons_hold_expire_due,
    series_book,
)
from classroom.signals import (
    lesson_booked,
    lesson_held,
    lesson_hold_expired,
)
from classroom.tasks import expire_lesson_holds
from cplatform.exceptions import Conflict
from inbox.models import Notification, NotificationKind
from inbox.notifications.services import render_text
from inbox.reminders.services import lesson_reminders_send
from tests.authentication.consent import child
from tests.booking.factories import bookable_teacher, coming_dst_change, days_ahead, student
from tests.booking.test_pages import confirm
from tests.calendar.test_feeds import feed_url
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def priced_teacher(rate="40.00", **kwargs):
    teacher = bookable_teacher(lesson_lengths=[30, 60], **kwargs)
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal(rate), currency="EUR")
    teacher.refresh_from_db()
    return teacher


def held(teacher, learner, start, **kwargs) -> Lesson:
    return lesson_book(
        actor=learner, teacher=teacher, student=learner, start=start, length=60, hold=True, **kwargs
    )


class heard:
    """Collects what a signal announced while the block runs."""

    def __init__(self, signal):
        self.signal, self.calls = signal, []

    def __enter__(self):
        self.signal.connect(self._got, dispatch_uid=f"test-heard-{id(self)}")
        return self.calls

    def __exit__(self, *exc):
        self.signal.disconnect(dispatch_uid=f"test-heard-{id(self)}")

    def _got(self, sender, **kwargs):
        self.calls.append(kwargs)


# The rule: when payment is due


@pytest.mark.parametrize(
    ("rate", "course", "required", "due"),
    [
        ("40.00", False, True, True),
        ("0.00", False, True, False),
        (None, False, True, False),
        ("40.00", True, True, False),  # a course (or package) covers it: price 0
        ("40.00", False, False, False),  # the school takes no payments for lessons
    ],
)
def test_payment_is_due_for_a_priced_lesson_not_covered_by_a_course(
    settings, rate, course, required, due
):
    settings.LESSON_PAYMENT_REQUIRED = required
    teacher = bookable_teacher()
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal(rate) if rate else None)
    teacher.refresh_from_db()
    covering = CourseFactory(format="one_to_one", owner=teacher.user) if course else None
    quote = selectors.booking_quote(teacher=teacher, length=60, course=covering)
    assert selectors.lesson_payment_due(quote_or_lesson=quote) is due
    assert (
        selectors.booking_payment_due(
            teacher=teacher, length=60, mode=None, course_id=covering.pk if covering else None
        )
        is due
    )


# Held lessons block the slot, in the service and in the database


def test_a_held_booking_blocks_the_slot_and_is_announced_as_held_not_booked():
    teacher, learner, other = priced_teacher(), student(), student()
    start = days_ahead(3)
    now = timezone.now()
    with heard(lesson_held) as held_calls, heard(lesson_booked) as booked_calls:
        lesson = held(teacher, learner, start, now=now)
    assert lesson.status == LessonStatus.HELD
    assert lesson.hold_expires_at == now + timedelta(minutes=30)
    assert [c["lesson"].pk for c in held_calls] == [lesson.pk] and booked_calls == []
    assert selectors.lesson_payment_due(quote_or_lesson=lesson)
    paid_later = lesson_book(
        actor=other, teacher=teacher, student=other, start=start + timedelta(days=1), length=60
    )
    assert not selectors.lesson_payment_due(quote_or_lesson=paid_later)
    with pytest.raises(Conflict) as refusal:
        lesson_book(actor=other, teacher=teacher, student=other, start=start, length=60)
    assert refusal.value.code == "slot_taken"
    _length, slots = selectors.slots_for_teacher(
        teacher=teacher, query=selectors.SlotQuery(start=start, end=start + timedelta(hours=1))
    )
    assert start not in [s for s, _e in slots]


def test_the_database_refuses_an_overlapping_lesson_while_held_and_accepts_it_once_expired():
    teacher, learner, other = priced_teacher(), student(), student()
    start = days_ahead(3)
    lesson = held(teacher, learner, start)

    def insert():
        with transaction.atomic():
            Lesson.objects.create(
                teacher=teacher,
                student=other,
                booked_by=other,
                start=start + timedelta(minutes=30),
                end=start + timedelta(minutes=90),
            )

    with pytest.raises(IntegrityError, match="lesson_teacher_no_overlap"):
        insert()
    assert lesson_hold_expire(lesson=lesson, now=lesson.hold_expires_at)
    insert()  # the expired lesson no longer holds the time
    assert Lesson.objects.filter(teacher=teacher).count() == 2


def test_a_lapsed_hold_not_yet_swept_gives_way_to_a_new_booking():
    teacher, learner, other = priced_teacher(), student(), student()
    start = days_ahead(3)
    lesson = held(teacher, learner, start)
    later = lesson.hold_expires_at + timedelta(seconds=1)
    taken = lesson_book(
        actor=other, teacher=teacher, student=other, start=start, length=60, now=later
    )
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.EXPIRED and lesson.hold_expires_at is None
    assert taken.status == LessonStatus.SCHEDULED


def test_a_hold_never_outlasts_the_lessons_start():
    teacher, learner = priced_teacher(), student()
    start = days_ahead(3)
    lesson = held(teacher, learner, start, now=start - timedelta(minutes=10))
    assert lesson.hold_expires_at == start


def test_a_held_package_lesson_uses_its_package_lesson_and_an_expired_one_does_not():
    teacher, learner = priced_teacher(), student()
    package = CourseFactory(format="one_to_one", owner=teacher.user, lessons_included=2)
    EnrollmentFactory(course=package, student=learner, status="active")
    lesson = lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(3),
        length=60,
        course_id=package.pk,
        hold=True,
    )
    assert selectors.package_lessons_used(course=package, student=learner) == 1
    lesson_hold_expire(lesson=lesson, now=lesson.hold_expires_at)
    assert selectors.package_lessons_used(course=package, student=learner) == 0


# Expiry: the sweep


def test_the_sweep_expires_a_lapsed_hold_once_and_tells_the_payer_once():
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    keep = held(teacher, learner, days_ahead(4))
    Lesson.objects.filter(pk=keep.pk).update(hold_expires_at=timezone.now() + timedelta(hours=1))
    after = lesson.hold_expires_at + timedelta(seconds=1)
    with heard(lesson_hold_expired) as expired:
        assert lessons_hold_expire_due(now=lesson.hold_expires_at - timedelta(seconds=1)) == 0
        assert lessons_hold_expire_due(now=after) == 1
        assert lessons_hold_expire_due(now=after) == 0
    assert [c["lesson"].pk for c in expired] == [lesson.pk]
    lesson.refresh_from_db()
    keep.refresh_from_db()
    assert lesson.status == LessonStatus.EXPIRED
    assert keep.status == LessonStatus.HELD
    told = Notification.objects.filter(kind=NotificationKind.LESSON_HOLD_EXPIRED)
    assert [(n.recipient_id, n.target_id) for n in told] == [(learner.pk, lesson.pk)]
    assert "expired because it was not paid in time" in render_text(told.get())


def test_the_sweep_task_runs_on_the_clock_and_is_scheduled_every_minute(clock):
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    schedule = Schedule.objects.get(func=SWEEP_FUNC)
    assert schedule.minutes == 1 and schedule.repeats == -1
    assert expire_lesson_holds() == 0
    clock.move_to(lesson.hold_expires_at + timedelta(seconds=5))
    assert expire_lesson_holds() == 1
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.EXPIRED


def test_a_parent_who_booked_is_told_with_the_childs_name_and_the_child_too():
    teacher = priced_teacher()
    kid, parent = child(consent=True)
    lesson = lesson_book(
        actor=parent, teacher=teacher, student=kid, start=days_ahead(3), length=60, hold=True
    )
    lessons_hold_expire_due(now=lesson.hold_expires_at)
    told = {
        n.recipient_id: n
        for n in Notification.objects.filter(kind=NotificationKind.LESSON_HOLD_EXPIRED)
    }
    assert set(told) == {parent.pk, kid.pk}
    assert kid.name in render_text(told[parent.pk])
    assert teacher.user.pk not in told


# Confirming once paid


def test_confirming_a_held_lesson_schedules_it_and_announces_it_booked_once():
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    with heard(lesson_booked) as booked:
        lesson_hold_confirm(lessons=[lesson])
        lesson_hold_confirm(lessons=[lesson])  # a replayed payment changes nothing
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.SCHEDULED and lesson.hold_expires_at is None
    assert [(c["lesson"].pk, c["actor"].pk) for c in booked] == [(lesson.pk, learner.pk)]


def test_a_payment_after_expiry_takes_the_slot_again_when_it_is_still_free():
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    lessons_hold_expire_due(now=lesson.hold_expires_at)
    (confirmed,) = lesson_hold_confirm(lessons=[lesson])
    assert confirmed.status == LessonStatus.SCHEDULED


def test_a_payment_after_expiry_whose_slot_was_taken_is_refused_and_changes_nothing():
    teacher, learner, other = priced_teacher(), student(), student()
    start = days_ahead(3)
    first = held(teacher, learner, start)
    second = held(teacher, learner, start + timedelta(days=1))
    Lesson.objects.filter(pk=second.pk).update(hold_expires_at=timezone.now() + timedelta(hours=1))
    lessons_hold_expire_due(now=first.hold_expires_at)
    lesson_book(actor=other, teacher=teacher, student=other, start=start, length=60)
    Lesson.objects.filter(pk=second.pk).update(hold_expires_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(Conflict) as refusal:
        lesson_hold_confirm(lessons=[second, first])  # one payment for both: all or nothing
    assert refusal.value.code == "hold_expired_slot_taken"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (LessonStatus.EXPIRED, LessonStatus.HELD)


def test_a_cancelled_hold_cannot_be_confirmed():
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    lesson_cancel(lesson=lesson, actor=learner)
    with pytest.raises(Conflict) as refusal:
        lesson_hold_confirm(lessons=[lesson])
    assert refusal.value.code == "lesson_not_held"


def test_cancelling_a_held_booking_frees_it_for_nothing_and_tells_nobody():
    teacher, learner = priced_teacher(cancellation_cutoff_hours=24 * 30), student()
    lesson = held(teacher, learner, days_ahead(3))
    cancelled = lesson_cancel(lesson=lesson, actor=learner)
    assert cancelled.status == LessonStatus.CANCELLED
    assert not cancelled.cancelled_late  # past the cut-off, but nothing was taken
    assert cancelled.hold_expires_at is None
    assert not Notification.objects.filter(kind=NotificationKind.LESSON_CANCELLED).exists()


# Series


def test_a_series_with_payment_due_is_held_with_one_expiry():
    teacher, learner = priced_teacher(), student()
    series = series_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        first_start=days_ahead(3),
        length=60,
        count=3,
        hold=True,
    )
    lessons = list(series.lessons.all())
    assert {lesson.status for lesson in lessons} == {LessonStatus.HELD}
    assert len({lesson.hold_expires_at for lesson in lessons}) == 1
    lesson_hold_confirm(lessons=lessons)
    assert set(series.lessons.values_list("status", flat=True)) == {LessonStatus.SCHEDULED}


# Left out of calendar feeds, reminders and attendance


def test_held_and_expired_lessons_are_not_in_the_calendar_feed_until_paid(client):
    teacher, learner = priced_teacher(), student()
    lesson = held(teacher, learner, days_ahead(3))
    gone = held(teacher, learner, days_ahead(4))
    Lesson.objects.filter(pk=lesson.pk).update(
        hold_expires_at=timezone.now() + timedelta(days=1)
    )  # still held after the sweep
    lessons_hold_expire_due(now=gone.hold_expires_at + timedelta(minutes=1))
    for person in (learner, teacher.user):
        cal = Calendar.from_ical(client.get(feed_url(person)).content)
        assert list(cal.walk("VEVENT")) == []
    lesson_hold_confirm(lessons=[lesson])
    cal = Calendar.from_ical(client.get(feed_url(learner)).content)
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == lesson.start


def test_a_held_lesson_is_not_reminded():
    teacher, learner = priced_teacher(), student()
    start = days_ahead(3)
    lesson = held(teacher, learner, start)
    Lesson.objects.filter(pk=lesson.pk).update(hold_expires_at=start)
    assert lesson_reminders_send(now=start - timedelta(hours=24)) == 0
    assert lesson_reminders_send(now=start - timedelta(hours=1)) == 0
    lesson_hold_confirm(lessons=[lesson], now=start - timedelta(hours=2))
    assert lesson_reminders_send(now=start - timedelta(hours=1)) > 0


# The pages


def review(client, teacher, start, **params):
    return client.get(
        f"/lessons/book/{teacher.pk}/review/", {"start": start.isoformat(), "length": 60, **params}
    )


def test_the_review_of_a_priced_lesson_ends_in_pay_and_paying_holds_it(client):
    teacher, learner = priced_teacher(), student(tz="Europe/Madrid")
    client.force_login(learner)
    start = days_ahead(3)
    page = review(client, teacher, start)
    text = page.content.decode()
    assert "Pay 40.00 EUR" in text and 'data-testid="booking-pay"' in text
    assert "Confirm booking" not in text
    response = confirm(client, page)
    lesson = Lesson.objects.get(student=learner)
    assert lesson.status == LessonStatus.HELD and lesson.price == Decimal("40.00")
    # billing has no payment page yet: the lesson's page, which says it awaits payment
    assert response.status_code == 302
    assert response["Location"] == f"/billing/lessons/{lesson.pk}/pay/"  # billing's pay page
    detail = client.get(f"/lessons/{lesson.pk}/").content.decode()
    until = formats.date_format(lesson.hold_expires_at.astimezone(MADRID), "DATETIME_FORMAT")
    assert f"Awaiting payment — pay by {until}" in detail
    listing = client.get("/lessons/").content.decode()
    assert f"Awaiting payment — pay by {until}" in listing


@pytest.mark.parametrize("kind", ["free", "no_price", "package", "not_required"])
def test_the_review_ends_in_confirm_where_nothing_is_to_pay(client, settings, kind):
    rate = {"free": "0.00", "no_price": None}.get(kind, "40.00")
    settings.LESSON_PAYMENT_REQUIRED = kind != "not_required"
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal(rate) if rate else None)
    params = {}
    if kind == "package":
        package = CourseFactory(format="one_to_one", owner=teacher.user, lessons_included=5)
        EnrollmentFactory(course=package, student=learner, status="active")
        params["course_id"] = package.pk
    client.force_login(learner)
    page = review(client, teacher, days_ahead(3), **params)
    text = page.content.decode()
    assert "Confirm booking" in text and 'data-testid="booking-pay"' not in text
    response = confirm(client, page)
    assert response.status_code == 302 and response["Location"].endswith("/lessons/")
    assert Lesson.objects.get(student=learner).status == LessonStatus.SCHEDULED


def test_pay_leads_to_the_payment_page_named_by_the_setting(client, settings):
    settings.LESSON_PAYMENT_URL_NAME = "lesson-cancel"  # a page that takes the lesson's id
    teacher, learner = priced_teacher(), student()
    client.force_login(learner)
    response = confirm(client, review(client, teacher, days_ahead(3)))
    lesson = Lesson.objects.get(student=learner)
    assert response["Location"] == f"/lessons/{lesson.pk}/cancel/"


def test_the_hold_expiry_is_shown_in_the_viewers_zone_across_a_dst_change(client, clock):
    change = coming_dst_change(clock, "Europe/Madrid", 10, lead_days=0)
    teacher, learner = priced_teacher(), student(tz="Europe/Madrid")
    lesson = held(teacher, learner, days_ahead(3))
    # Madrid's clocks go back at 01:00 UTC that night: 01:15 UTC is 02:15 winter time (+01:00),
    # where the summer offset of the booking's day would say 03:15.
    until = datetime.combine(change, time(1, 15), tzinfo=UTC)
    Lesson.objects.filter(pk=lesson.pk).update(hold_expires_at=until)
    client.force_login(learner)
    text = client.get(f"/lessons/{lesson.pk}/").content.decode()
    shown = formats.date_format(until.astimezone(MADRID), "DATETIME_FORMAT")
    assert until.astimezone(MADRID).hour == 2
    assert f"Awaiting payment — pay by {shown}" in text


# The API


def test_the_api_books_a_priced_lesson_held_and_a_covered_one_scheduled(client):
    teacher, learner = priced_teacher(), student()
    token = login_token(client, learner.email)
    headers = {"HTTP_X_SESSION_TOKEN": token}
    booked = client.post(
        "/api/v1/lessons",
        {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "length": 60},
        content_type="application/json",
        **headers,
    )
    assert booked.status_code == 201, booked.content
    body = booked.json()
    assert body["status"] == "held" and body["payment_due"] is True
    assert body["hold_expires_at"] is not None
    package = CourseFactory(format="one_to_one", owner=teacher.user, lessons_included=5)
    EnrollmentFactory(course=package, student=learner, status="active")
    covered = client.post(
        "/api/v1/lessons",
        {
            "teacher_id": teacher.pk,
            "start": days_ahead(4).isoformat(),
            "length": 60,
            "course_id": package.pk,
        },
        content_type="application/json",
        **headers,
    ).json()
    assert covered["status"] == "scheduled" and covered["payment_due"] is False
    assert covered["hold_expires_at"] is None


def test_the_openapi_schema_lists_the_held_and_expired_statuses(client):
    schema = client.get("/api/v1/openapi.json").json()
    lesson = schema["components"]["schemas"]["LessonOut"]
    assert {"hold_expires_at", "payment_due"} <= set(lesson["properties"])
    statuses = schema["components"]["schemas"]["LessonStatus"]["enum"]
    assert {"held", "expired"} <= set(statuses)
    enrollment = schema["components"]["schemas"]["EnrollmentOut"]
    assert "payment_due_by" in enrollment["properties"]


def test_without_payments_required_the_api_books_at_once():
    with override_settings(LESSON_PAYMENT_REQUIRED=False):
        teacher = priced_teacher()
        assert not selectors.booking_payment_due(
            teacher=teacher, length=60, mode=None, course_id=None
        )


def test_holds_and_their_expiry_are_announced_after_commit_too(django_capture_on_commit_callbacks):
    from classroom.signals import lesson_held_committed, lesson_hold_expired_committed

    teacher, learner = priced_teacher(), student()
    with heard(lesson_held_committed) as held_later, heard(lesson_hold_expired_committed) as gone:
        with django_capture_on_commit_callbacks(execute=True):
            lesson = held(teacher, learner, days_ahead(3))
        assert [c["lesson"].pk for c in held_later] == [lesson.pk]
        assert held_later[0]["actor"] == learner and held_later[0]["series"] is None
        with django_capture_on_commit_callbacks(execute=True):
            lessons_hold_expire_due(now=lesson.hold_expires_at)
            lessons_hold_expire_due(now=lesson.hold_expires_at)
    assert [(c["lesson"].pk, c["actor"]) for c in gone] == [(lesson.pk, None)]
