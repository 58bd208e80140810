"""The designed pages in a real browser, at 1366 and 375 px: the catalog's card grid (on a phone the
filters fold away and the first course is on the first screen), a course page's summary column, the
teacher's page with its Book button and next free times, on to booking; and the teacher's lesson page,
whose materials form shows only the chosen kind's field. Screenshots: catalog, course-page,
teacher-page, teacher-lesson (test-artifacts/)."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from tests.authentication.factories import StudentFactory
from tests.blog.factories import ImageFactory
from tests.booking.factories import bookable_teacher
from tests.courses.factories import EnrollmentFactory
from tests.courses.page_helpers import live_course, publish
from tests.e2e.conftest import DESKTOP, PHONE
from tests.teaching.factories import started_lesson

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORKING_DAY = [(day, time(8, 0), time(20, 0)) for day in range(7)]


def test_catalog_course_page_teacher_page_and_book_then_the_teachers_lesson_page(journey):
    teacher = bookable_teacher(
        tz="Europe/Madrid",
        rules=WORKING_DAY,
        lesson_lengths=(60,),
        email="ana.garcia@example.com",
        first_name="Ana",
        last_name="García",
    )
    course = live_course(
        owner=teacher.user,
        title="Conversational Spanish",
        summary="Speak from the first lesson: real situations, patient correction.",
        price=90,
        capacity=8,
        format="group",
    )
    course.page.cover_image = ImageFactory()
    publish(course.page)
    live_course(owner=teacher.user, title="Spanish grammar, step by step", format="one_to_one")
    student = StudentFactory(
        email="sam.student@example.com", first_name="Sam", timezone="America/Mexico_City"
    )
    page = journey.page
    main = page.locator("main")

    journey.login(student.email)
    journey.goto("/courses/")
    cards = main.locator("li.course-card")
    expect(cards).to_have_count(2)
    expect(main.locator("li.course-card img.course-card__image")).to_have_count(1)
    expect(main.locator(".course-card__placeholder")).to_have_count(1)
    expect(main.get_by_role("button", name="Show courses")).to_be_visible()  # open on a desktop
    journey.screenshot("catalog")

    # On a phone the filters fold behind their summary: the first course is on the first screen.
    page.set_viewport_size(PHONE)
    journey.goto("/courses/")
    expect(main.get_by_role("button", name="Show courses")).to_be_hidden()
    top = cards.first.bounding_box()["y"]
    assert top < PHONE["height"], f"the first course starts at {top}px, below the first screen"
    main.locator("summary", has_text="Filter courses").click()
    expect(main.get_by_role("button", name="Show courses")).to_be_visible()
    page.set_viewport_size(DESKTOP)

    with page.expect_navigation():
        main.get_by_role("link", name="Conversational Spanish").click()
    journey.check_a11y()
    summary = main.locator('[data-testid="course-summary"]')
    expect(summary.locator('[data-testid="course-price"]')).to_have_text("90 EUR")
    expect(summary.locator('[data-testid="seats-left"]')).to_have_text("8 of 8 seats left")
    expect(summary.get_by_role("button", name="Enrol")).to_be_visible()
    # Beside the description on a desktop, above it on a phone.
    side = summary.bounding_box()
    text = main.locator(".course-layout__main").bounding_box()
    assert side["x"] > text["x"] + text["width"] - 1
    journey.screenshot("course-page")
    page.set_viewport_size(PHONE)
    assert summary.bounding_box()["y"] < main.locator(".course-layout__main").bounding_box()["y"]
    page.set_viewport_size(DESKTOP)

    with page.expect_navigation():
        summary.get_by_role("link", name="Ana García").click()
    journey.check_a11y()
    expect(main.locator('[data-testid="next-slots"] a')).to_have_count(6)
    expect(main).to_contain_text("America/Mexico_City")
    expect(main.locator(".teacher-courses li.course-card")).to_have_count(2)
    journey.screenshot("teacher-page")
    page.set_viewport_size(PHONE)
    book_high = main.locator(".teacher-profile__book a")
    expect(book_high).to_be_visible()
    assert book_high.bounding_box()["y"] < PHONE["height"]  # on the first screen of a phone
    page.set_viewport_size(DESKTOP)
    expect(book_high).to_be_hidden()  # the panel's own button beside the profile is enough
    with page.expect_navigation():
        main.locator('[data-testid="book-button"]').click()
    journey.check_a11y()
    assert re.search(rf"/lessons/book/{teacher.pk}/$", page.url)
    journey.logout()

    # The teacher's lesson page: the materials form shows only the chosen kind's field.
    one_to_one = live_course(owner=teacher.user, format="one_to_one", title="Private Spanish")
    lesson = started_lesson(teacher=teacher.user, student=student, course=one_to_one)
    journey.login(teacher.user.email)
    journey.goto(f"/lessons/{lesson.pk}/")
    upload = main.locator('form[data-testid="material-upload"]')
    kind = upload.get_by_label("Kind")
    kind.select_option("link")
    expect(upload.get_by_label(re.compile("^Link"))).to_be_visible()
    expect(upload.get_by_label(re.compile("^File"))).to_be_hidden()
    expect(upload.get_by_label(re.compile("^Text"))).to_be_hidden()
    kind.select_option("text")
    expect(upload.get_by_label(re.compile("^Text"))).to_be_visible()
    expect(upload.get_by_label(re.compile("^Link"))).to_be_hidden()
    upload.get_by_label("Material title").fill("Useful phrases")
    upload.get_by_label(re.compile("^Text")).fill("¿Qué tal? — How are you?")
    journey.submit("Add and share")
    expect(main).to_contain_text("Useful phrases")
    journey.screenshot("teacher-lesson")

    # The teacher's pages with tables: each row a labelled card on a phone (journey.goto checks
    # that nothing scrolls sideways at 375 px).
    EnrollmentFactory(course=course, student=student)
    for path in ("/courses/teach/", f"/courses/teach/{course.pk}/", "/progress/"):
        journey.goto(path)
    page.set_viewport_size(PHONE)
    row = main.locator("table.table tbody tr").first
    expect(row.locator("[data-label]").first).to_be_visible()
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    journey.screenshot("teacher-students-table")
