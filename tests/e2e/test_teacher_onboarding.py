"""A new teacher signs up, lands on their home and follows its checklist: the teaching profile (listed
once an admin approves it: the admin clicks Approve in Wagtail's teacher list), weekly availability
on the grid, a first course; the checklist then goes, and the teacher page offers a Book button
instead of "Not taking bookings yet". Then the same home in Spanish on a phone. Screenshot
`teacher-onboarding`."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from classroom.models import AvailabilityRule, TeacherProfile
from courses.models import Course
from tests.authentication.factories import AdminFactory
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_account_journeys import NEW_PASSWORD, _link_in
from tests.e2e.test_editor_journeys import admin_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "nora.vidal@example.com"


def checklist_step(page, code: str):
    return page.locator(f'.onboarding__step[data-step="{code}"]')


def follow(journey, link) -> None:
    with journey.page.expect_navigation():
        link.click()
    journey.check_a11y()


def test_a_new_teacher_follows_the_checklist_until_students_can_book(browser, live_server, journey):
    admin = AdminFactory(email="admin@example.com")
    page, main = journey.page, journey.page.locator("main")

    # Sign up as a teacher, confirm the address, log in: the home comes first.
    journey.goto("/auth/register/")
    form = page.locator("main form")
    form.get_by_label("Email").fill(EMAIL)
    form.get_by_label("First name").fill("Nora")
    form.get_by_label("Last name").fill("Vidal")
    form.get_by_role("radio", name=re.compile("^Teacher")).check()
    form.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    form.get_by_label(re.compile(r"^Password \(again\)")).fill(NEW_PASSWORD)
    journey.submit("Sign up")
    [confirmation] = [m for m in mail.outbox if EMAIL in m.to]
    page.context.clear_cookies()
    journey.goto(_link_in(confirmation, "/auth/confirm-email/"))
    journey.submit("Confirm")
    journey.login(EMAIL, NEW_PASSWORD)
    assert page.url.endswith("/dashboard/")
    expect(main.locator(".onboarding")).to_be_visible()
    for code in ("profile", "availability", "first_course"):
        expect(checklist_step(page, code)).not_to_have_class(re.compile("is-done"))

    # 1. The teaching profile, asking to be listed.
    follow(journey, checklist_step(page, "profile").get_by_role("link"))
    form = page.locator("main form")
    form.locator("#id_headline").fill("Maths for curious minds")
    form.locator("#id_bio").fill("Ten years of secondary maths, exam prep.")
    form.get_by_role("checkbox", name="Mathematics").check()
    form.get_by_role("checkbox", name="List me in the teacher directory").check()
    journey.submit(re.compile("^Save"))
    expect(page.locator(".messages, [role=status]").first).to_contain_text("saved")
    follow(journey, page.locator("header").get_by_role("link", name="Home", exact=True))
    expect(checklist_step(page, "profile")).to_have_class(re.compile("is-done"))
    expect(main).to_contain_text("waiting for an administrator's approval")

    # An admin approves the profile: the users list, filtered to teachers waiting, has Approve.
    admin_tab = admin_page(browser, live_server, admin.email)
    admin_tab.goto(live_server.url + "/admin/users/?teacher_approval=waiting")
    row = admin_tab.locator("tbody tr", has_text="Nora Vidal")
    expect(admin_tab.locator("main").get_by_role("link", name="Approve")).to_have_count(1)
    with admin_tab.expect_navigation():
        row.get_by_role("link", name="Approve").click()
    with admin_tab.expect_navigation():
        admin_tab.get_by_role("button", name="Yes, approve").click()
    admin_tab.context.close()
    profile = TeacherProfile.objects.get(user__email=EMAIL)
    assert profile.is_approved

    # Listed now, but nothing to book yet.
    journey.goto(f"/teachers/{profile.slug}/")
    expect(page.get_by_test_id("not-taking-bookings")).to_be_visible()
    expect(page.get_by_test_id("book-button")).to_have_count(0)

    # 2. Weekly availability on the grid: Monday 09:00-12:00, dragged.
    journey.goto("/dashboard/")
    follow(journey, checklist_step(page, "availability").get_by_role("link"))
    grid = page.locator("[data-avail-grid]")
    grid.locator('[data-cell="0-09:00"]').hover()
    page.mouse.down()
    grid.locator('[data-cell="0-11:30"]').hover()
    page.mouse.up()
    journey.submit("Save")
    assert [
        (r.weekday, f"{r.start_time:%H:%M}", f"{r.end_time:%H:%M}")
        for r in AvailabilityRule.objects.filter(teacher=profile)
    ] == [(0, "09:00", "12:00")]

    # 3. A first course.
    journey.goto("/dashboard/")
    expect(checklist_step(page, "availability")).to_have_class(re.compile("is-done"))
    follow(journey, checklist_step(page, "first_course").get_by_role("link"))
    form = page.locator("main form")
    form.get_by_label("Title", exact=True).fill("Algebra from scratch")
    form.get_by_label("Subject", exact=True).select_option(label="Mathematics")
    form.get_by_label("Format", exact=True).select_option(value="group")
    form.locator("#id_capacity").fill("6")
    journey.submit(re.compile("^(Create|Save)"))
    assert Course.objects.filter(title="Algebra from scratch", owner__email=EMAIL).exists()

    # Done: the checklist is gone, and students can book.
    journey.goto("/dashboard/")
    expect(main.locator(".onboarding")).to_have_count(0)
    expect(main.locator(".home-notice")).to_have_count(0)
    expect(main).to_contain_text("Algebra from scratch")
    journey.goto(f"/teachers/{profile.slug}/")
    expect(page.get_by_test_id("not-taking-bookings")).to_have_count(0)
    page.context.clear_cookies()  # a visitor's view: the Book button is for students and parents
    journey.goto(f"/teachers/{profile.slug}/")
    expect(page.get_by_test_id("book-button")).to_be_visible()
    journey.goto("/teachers/")
    expect(main.get_by_role("link", name=re.compile("Nora Vidal"))).to_be_visible()

    # The same home in Spanish on a phone.
    page.set_viewport_size(PHONE)
    journey.login(EMAIL, NEW_PASSWORD)
    journey.goto("/es/dashboard/")
    expect(main.locator("#teaching-heading")).to_have_text("Tu enseñanza")
    expect(main.locator(".onboarding")).to_have_count(0)
    expect(main).to_contain_text("Algebra from scratch")
    page.set_viewport_size(DESKTOP)
    journey.screenshot("teacher-onboarding")
