"""A teacher sets their weekly hours on the availability grid in a real browser: drags Monday
09:00–12:00, switches a half hour on with the keyboard, saves; the rules and the bookable slots are
what the grid showed. On a 375 px phone the grid scrolls inside its own box, not the page."""

import re
import zoneinfo
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom.models import AvailabilityRule
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from tests.booking.factories import at, bookable_teacher

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = "Europe/Madrid"


def test_a_teacher_drags_and_types_their_weekly_hours_on_the_grid(journey):
    teacher = bookable_teacher(
        tz=TZ, rules=[(4, time(18), time(19))], lesson_lengths=(60,), email="ana@example.com"
    )
    page = journey.page
    journey.login(teacher.user.email)
    journey.goto("/lessons/availability/")

    grid = page.locator("[data-avail-grid]")
    expect(grid).to_be_visible()
    expect(page.locator("#id_day_0")).to_be_hidden()  # the text fields are the no-script form
    cell = lambda key: grid.locator(f'[data-cell="{key}"]')  # noqa: E731
    expect(cell("4-18:00")).to_have_attribute("aria-pressed", "true")

    # Drag from Monday 09:00 down to Monday 11:30: six half hours.
    cell("0-09:00").hover()
    page.mouse.down()
    cell("0-10:30").hover()
    cell("0-11:30").hover()
    page.mouse.up()
    for key in ("0-09:00", "0-10:00", "0-11:30"):
        expect(cell(key)).to_have_attribute("aria-pressed", "true")
    expect(cell("0-12:00")).to_have_attribute("aria-pressed", "false")
    expect(cell("0-09:00")).to_have_attribute("aria-label", "Monday 09:00–09:30, available")

    # Keyboard: from Monday 09:00 (focused by the drag) right to Tuesday, Space switches it on;
    # down and Space on Friday 18:30 switches that one off.
    expect(cell("0-09:00")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(cell("1-09:00")).to_be_focused()
    page.keyboard.press("Space")
    expect(cell("1-09:00")).to_have_attribute("aria-label", "Tuesday 09:00–09:30, available")
    for key in ["ArrowRight"] * 3 + ["ArrowDown"] * 19:
        page.keyboard.press(key)
    expect(cell("4-18:30")).to_be_focused()
    page.keyboard.press("Enter")
    expect(cell("4-18:30")).to_have_attribute("aria-pressed", "false")
    journey.check_a11y()

    journey.submit("Save")
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text(
        re.compile("saved", re.I)
    )
    rules = [
        (r.weekday, f"{r.start_time:%H:%M}", f"{r.end_time:%H:%M}")
        for r in AvailabilityRule.objects.filter(teacher=teacher).order_by("weekday", "start_time")
    ]
    assert rules == [(0, "09:00", "12:00"), (1, "09:00", "09:30"), (4, "18:00", "18:30")]
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    _length, slots = slots_for_teacher(
        teacher=teacher,
        query=SlotQuery(start=at(monday, 0, tz=TZ), end=at(monday, 23, tz=TZ), length=60),
    )
    zone = zoneinfo.ZoneInfo(TZ)
    assert [s.astimezone(zone).time() for s, _e in slots] == [time(9), time(10), time(11)]
    # The saved page draws the same cells.
    expect(cell("0-11:30")).to_have_attribute("aria-pressed", "true")
    expect(cell("1-09:30")).to_have_attribute("aria-pressed", "false")

    journey.screenshot("availability")

    # Phone: the whole week fits in the grid's own box (check_a11y fails on page-level sideways
    # scroll), Sunday included.
    page.set_viewport_size({"width": 375, "height": 800})
    box = page.locator("[data-avail-scroll]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    cell("6-09:00").scroll_into_view_if_needed()
    sunday = cell("6-09:00").bounding_box()
    assert sunday is not None and sunday["x"] + sunday["width"] <= box["x"] + box["width"]


def test_a_spanish_visitor_finds_a_teacher_through_the_site_search(journey):
    teacher = bookable_teacher(
        tz=TZ,
        first_name="Zuleika",
        last_name="Quarrington",
        email="zuleika@example.com",
        translations={"es": {"headline": "Matemáticas con calma"}},
    )
    page = journey.page

    journey.goto("/es/search/?q=zuleika")

    group = page.locator("section.search-group--teachers")
    expect(group.get_by_role("heading", level=2)).to_have_text("Profesores")
    expect(group.locator(".search-result p")).to_have_text("Matemáticas con calma")
    journey.screenshot("search-teachers")
    with page.expect_navigation():
        group.get_by_role("link", name="Zuleika Quarrington").click()
    journey.check_a11y()
    assert page.url.endswith(f"/es/teachers/{teacher.slug}/")
