"""Notifications in a real browser: a booking tells the teacher, who sees the header badge, opens
the feed (axe, both widths), marks everything read and sets quiet hours; the Spanish settings page
too."""

import re

import pytest
from playwright.sync_api import expect

from classroom.scheduling.services import lesson_book
from inbox.notifications.models import NotificationSettings
from tests.authentication.factories import StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_teacher_sees_the_badge_reads_the_feed_and_sets_quiet_hours(journey):
    teacher = bookable_teacher(email="teacher.notify@example.com", first_name="Tina")
    learner = StudentFactory(first_name="Lucas", last_name="Kid", timezone="Europe/Madrid")
    for day in (3, 4):
        lesson_book(
            actor=learner, teacher=teacher, student=learner, start=days_ahead(day), length=60
        )
    page = journey.page
    journey.login(teacher.user.email)
    badge = page.locator("header [data-testid=notifications-badge]")
    expect(badge).to_contain_text("2")
    page.locator("header").get_by_role("link", name=re.compile("^Notifications")).click()
    journey.check_a11y()
    main = page.locator("main")
    expect(main.locator("[data-testid=notification]")).to_have_count(2)
    expect(main).to_contain_text("Lucas Kid booked a lesson with you on")
    journey.screenshot("notifications-feed")
    journey.submit("Mark all as read")
    expect(page.locator("header [data-testid=notifications-badge]")).to_have_count(0)
    main.get_by_role("link", name="Notification settings").click()
    journey.check_a11y()
    page.get_by_label("Quiet hours from").fill("22:00")
    page.get_by_label("until", exact=True).fill("07:00")
    journey.submit("Save settings")
    expect(page.locator("main")).to_contain_text("Your notification settings are saved.")
    settings = NotificationSettings.objects.get(user=teacher.user)
    assert settings.quiet_start.hour == 22 and settings.quiet_end.hour == 7
    journey.screenshot("notifications-settings")
    journey.goto("/es/notifications/settings/")
    expect(page.locator("h1")).to_have_text("Ajustes de notificaciones")
