"""Schedule pages in a real browser, axe-checked: the teacher's week (desktop grid, phone day list),
time off, the calendar feed page, and a student moving a lesson."""

import re
import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom.calendar.selectors import week_monday
from classroom.models import AvailabilityException, CalendarFeed, Lesson
from classroom.scheduling.services import lesson_book
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.calendar.factories import group_session
from tests.courses.factories import CourseFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def test_teacher_reads_the_week_adds_time_off_and_subscribes_to_the_feed(journey):
    teacher = bookable_teacher(
        tz="Europe/Madrid",
        rules=[(d, time(9, 0), time(13, 0)) for d in range(5)],
        email="week.teacher@example.com",
    )
    learner = student(first_name="Lucía", last_name="Ortega")
    monday = week_monday(timezone.now().astimezone(MADRID).date() + timedelta(days=7))
    start = datetime.combine(monday, time(10, 0), tzinfo=MADRID).astimezone(UTC)
    lesson_book(actor=learner, teacher=teacher, student=learner, start=start, length=60)
    group_session(
        teacher=teacher,
        course=CourseFactory(owner=teacher.user, title="Conversation club"),
        start=start + timedelta(days=2, hours=8),
        seats=[learner],
    )
    page = journey.page
    journey.login(teacher.user.email)
    journey.goto(f"/lessons/week/?week={monday.isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Week schedule")
    monday_column = page.get_by_role("region", name=re.compile("^Monday"))
    expect(monday_column).to_contain_text("10:00–11:00 Lucía Ortega")
    expect(page.get_by_role("region", name=re.compile("^Wednesday"))).to_contain_text(
        "Conversation club"
    )
    journey.screenshot("week-schedule")
    page.set_viewport_size(PHONE)
    expect(monday_column.get_by_role("link", name=re.compile("Lucía Ortega"))).to_be_visible()
    page.set_viewport_size(DESKTOP)

    journey.goto("/lessons/time-off/")
    form = page.locator("main form.form")
    day = monday + timedelta(days=4)
    form.get_by_label("From").fill(f"{day}T00:00")
    form.get_by_label("Until").fill(f"{day}T18:00")
    form.get_by_label("Reason").fill("Conference")
    journey.submit("Add time off")
    expect(page.get_by_role("main")).to_contain_text("Conference")
    off = AvailabilityException.objects.get(teacher=teacher)
    assert off.start == datetime.combine(day, time(0, 0), tzinfo=MADRID)

    journey.goto("/lessons/calendar/")
    journey.submit("Create my calendar feed")
    token = CalendarFeed.objects.get(user=teacher.user).token
    subscribe = page.get_by_role("link", name="Subscribe in your calendar app")
    expect(subscribe).to_have_attribute("href", re.compile(rf"^webcal://.*/calendar/{token}\.ics$"))
    expect(page.get_by_label("Calendar feed address")).to_have_value(re.compile(token))
    journey.screenshot("calendar-feed")


def test_student_moves_a_lesson_from_my_lessons(journey):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner = student(tz="America/New_York", email="mover@example.com")
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(5), length=60
    )
    page = journey.page
    journey.login(learner.email)
    journey.goto("/lessons/")
    with page.expect_navigation():
        page.get_by_role("link", name="Move this lesson").click()
    journey.check_a11y()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move a lesson")
    target = days_ahead(6, hour=12).astimezone(zoneinfo.ZoneInfo("America/New_York"))
    with page.expect_navigation():
        page.locator(f'button[value="{target.isoformat()}"]').click()
    journey.check_a11y()
    expect(page.get_by_role("main")).to_contain_text("The lesson has been moved.")
    lesson.refresh_from_db()
    assert lesson.start == target
    assert Lesson.objects.get(pk=lesson.pk).sequence == 1
